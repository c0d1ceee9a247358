use std::process::ExitCode;

fn main() -> ExitCode {
    docyard::cli::main()
}
