// A server's field problem cannot be read from JSON and sent again.
use error_spec::FieldError;
use error_spec::__private::serde::de::DeserializeOwned;

fn readable<T: DeserializeOwned>() {}

fn main() {
    readable::<FieldError>();
}
