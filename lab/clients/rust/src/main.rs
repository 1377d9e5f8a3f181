// One GET with ureq, as an application would make it: `rustls` (ureq's default TLS, trusting
// the system's roots, which rustls-native-certs reads from SSL_CERT_FILE) or `openssl`
// (native-tls, OpenSSL, which reads SSL_CERT_FILE too). The error is printed as programs do.
use std::sync::Arc;
use std::time::Duration;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 4 {
        eprintln!("usage: td-ureq rustls|openssl URL SECONDS");
        std::process::exit(2);
    }
    let secs: u64 = args[3].parse().expect("SECONDS is a whole number");
    // The overall limit does not bound the TCP connect in ureq 2.6: that has a limit of its own.
    let limit = Duration::from_secs(secs);
    let mut builder = ureq::AgentBuilder::new().timeout_connect(limit).timeout(limit);
    if args[1] == "openssl" {
        builder = builder.tls_connector(Arc::new(native_tls::TlsConnector::new().expect("native-tls")));
    }
    match builder.build().get(&args[2]).call() {
        Ok(_) => {}
        Err(e) => {
            eprintln!("Error: {}", e);
            std::process::exit(1);
        }
    }
}
