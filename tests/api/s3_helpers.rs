//! An S3-compatible server for the S3 backend's tests: s3s-fs, started on
//! a free loopback port and stopped when dropped. It checks request
//! signatures, so a wrong key is refused as by S3 itself.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use docyard::config::{S3Settings, Secret};

pub const BUCKET: &str = "docyard-test";
pub const ACCESS_KEY: &str = "docyard-access";
pub const SECRET_KEY: &str = "docyard-secret-key";

/// One s3s-fs server and the folder it keeps its buckets in.
pub struct S3Server {
    pub child: Child,
    port: u16,
    endpoint: String,
    root: tempfile::TempDir,
}

impl S3Server {
    pub async fn start() -> Self {
        let root = tempfile::tempdir().expect("bucket root");
        // s3s-fs keeps each bucket as a folder of its root.
        std::fs::create_dir(root.path().join(BUCKET)).expect("bucket");
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let child = Self::spawn(root.path(), port).await;
        Self {
            child,
            port,
            endpoint: format!("http://127.0.0.1:{port}"),
            root,
        }
    }

    /// Starts a stopped server again, on the same port and data.
    pub async fn start_again(&mut self) {
        self.child = Self::spawn(self.root.path(), self.port).await;
    }

    async fn spawn(root: &std::path::Path, port: u16) -> Child {
        let mut child = Command::new("s3s-fs")
            .args(["--host", "127.0.0.1", "--port", &port.to_string()])
            .args(["--access-key", ACCESS_KEY, "--secret-key", SECRET_KEY])
            .arg(root)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("s3s-fs starts (dev/setup.sh --test installs it)");
        for _ in 0..200 {
            if tokio::net::TcpStream::connect(("127.0.0.1", port))
                .await
                .is_ok()
            {
                return child;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        let _ = child.kill();
        let _ = child.wait();
        panic!("s3s-fs did not listen on port {port} within 5 seconds");
    }

    pub fn settings(&self, secret: &str) -> S3Settings {
        S3Settings {
            bucket: BUCKET.to_owned(),
            region: "us-east-1".to_owned(),
            endpoint: Some(self.endpoint.parse().expect("endpoint URL")),
            access_key_id: ACCESS_KEY.to_owned(),
            secret_access_key: Secret::new(secret.to_owned()),
            path_style: true,
        }
    }

    /// Where the server keeps an object's bytes on its disk.
    pub fn file_of(&self, key: &str) -> PathBuf {
        self.root.path().join(BUCKET).join(key)
    }
}

impl Drop for S3Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
