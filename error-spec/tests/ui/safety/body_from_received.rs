// A body an SDK received cannot become a server's body, nor be read from bytes as one.
use error_spec::{ErrorBody, FailedTask, ReceivedBody};

fn main() {
    let received = ReceivedBody::from_slice(br#"{"error":"gone"}"#).unwrap();
    let _body = ErrorBody::from(received.clone());
    let _task = FailedTask::new(received);
    let _bytes = ErrorBody::try_from(&b"{}"[..]);
}
