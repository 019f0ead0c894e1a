// No `From<String>`: an error's `to_string()` cannot slip into a body's message.
use error_spec::UserMessage;

fn main() {
    let io = std::io::Error::other("/srv/app/secrets.toml: permission denied");
    let _leaked: UserMessage = io.to_string().into();
}
