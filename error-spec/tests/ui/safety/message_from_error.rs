// No conversion from an error: the cause goes to `ApiError::with_source`, never the body.
use error_spec::UserMessage;

fn main() {
    let io = std::io::Error::other("open /etc/app/secret.key: permission denied");
    let _leaked = UserMessage::from(io);
}
