// No `From<&str>` and no `FromStr`: text has to go through `UserMessage::user_safe`.
use error_spec::UserMessage;

fn main() {
    let _parsed: UserMessage = "internal path /srv/app".parse().unwrap();
    let _converted = UserMessage::from("internal path /srv/app");
}
