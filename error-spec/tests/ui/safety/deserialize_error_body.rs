// A server's body cannot be read from JSON and sent again; the SDK reads `ReceivedBody`.
use error_spec::ErrorBody;
use error_spec::__private::serde::de::DeserializeOwned;

fn readable<T: DeserializeOwned>() {}

fn main() {
    readable::<ErrorBody>();
}
