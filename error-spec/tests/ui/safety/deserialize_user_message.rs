// A server's message cannot be read from JSON: text off the wire is not user-safe text.
use error_spec::UserMessage;
use error_spec::__private::serde::de::DeserializeOwned;

fn readable<T: DeserializeOwned>() {}

fn main() {
    readable::<UserMessage>();
}
