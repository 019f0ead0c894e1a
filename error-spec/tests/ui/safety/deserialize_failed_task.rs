// A server's failed task cannot be read from JSON and sent again.
use error_spec::FailedTask;
use error_spec::__private::serde::de::DeserializeOwned;

fn readable<T: DeserializeOwned>() {}

fn main() {
    readable::<FailedTask>();
}
