import Foundation

/// nginx + fcgiwrap on loopback, configured with the very snippet docs/deployment.md gives users
/// (`etc/nginx-webhooks.conf`, or the copy `make install` made), only its paths pointed at
/// this test's files.
final class WebStack {
    let dir: String
    let port: Int
    private var nginx: Daemon?
    private var fcgiwrap: Daemon?

    static func locate(_ names: [String]) -> String? {
        for dir in ["/usr/sbin", "/usr/bin", "/sbin", "/usr/local/sbin", "/usr/local/bin"] {
            for n in names where FileManager.default.isExecutableFile(atPath: dir + "/" + n) { return dir + "/" + n }
        }
        return nil
    }

    init(state: String, workdir: String, children: Int = 4,
         snippet snippetPath: String = Products.repoRoot + "/etc/nginx-webhooks.conf") throws {
        guard let nginxPath = WebStack.locate(["nginx"]), let fcgiPath = WebStack.locate(["fcgiwrap"]) else {
            throw NSError(domain: "WebStack", code: 1, userInfo: [NSLocalizedDescriptionKey: "nginx and fcgiwrap must be installed (scripts/install-deps)"])
        }
        dir = workdir
        port = freePort()
        let fm = FileManager.default
        try fm.createDirectory(atPath: dir + "/logs", withIntermediateDirectories: true)
        try fm.createDirectory(atPath: dir + "/tmp", withIntermediateDirectories: true)
        let socketPath = dir + "/fcgiwrap.sock"

        var snippet = try String(contentsOfFile: snippetPath, encoding: .utf8)
        snippet = snippet.replacingOccurrences(of: "/usr/local/lib/ml-connector/webhook-cgi", with: Products.path("webhook-cgi"))
            .replacingOccurrences(of: "/var/lib/ml-connector", with: state)
            .replacingOccurrences(of: "/run/fcgiwrap-ml-connector.socket", with: socketPath)
        try fm.copyItem(atPath: "/etc/nginx/fastcgi_params", toPath: dir + "/fastcgi_params")
        let conf = """
        daemon off;
        master_process on;
        worker_processes 2;
        user root;
        pid \(dir)/nginx.pid;
        error_log \(dir)/logs/error.log warn;
        events { worker_connections 1024; }
        http {
            access_log \(dir)/logs/access.log;
            client_body_temp_path \(dir)/tmp/body;
            fastcgi_temp_path \(dir)/tmp/fastcgi;
            proxy_temp_path \(dir)/tmp/proxy;
            uwsgi_temp_path \(dir)/tmp/uwsgi;
            scgi_temp_path \(dir)/tmp/scgi;
            server {
                listen 127.0.0.1:\(port);
                server_name localhost;
        \(snippet)
            }
        }
        """
        try conf.write(toFile: dir + "/nginx.conf", atomically: true, encoding: .utf8)

        let fcgi = try Daemon("fcgiwrap", fcgiPath, ["-c", String(children), "-s", "unix:" + socketPath])
        try fcgi.start()
        fcgiwrap = fcgi
        let deadline = Date().addingTimeInterval(10)
        while !fm.fileExists(atPath: socketPath) && Date() < deadline { usleep(20_000) }

        let n = try Daemon("nginx", nginxPath, ["-p", dir, "-c", dir + "/nginx.conf"])
        try n.start()
        nginx = n
        guard waitForPort(port) else {
            let log = (try? String(contentsOfFile: dir + "/logs/error.log", encoding: .utf8)) ?? ""
            throw NSError(domain: "WebStack", code: 2, userInfo: [NSLocalizedDescriptionKey: "nginx did not listen: \(log)"])
        }
    }

    func url(tenant: String, source: String = "shipbob") -> String {
        "http://127.0.0.1:\(port)/webhooks/\(tenant)/\(source)"
    }

    func stop() {
        nginx?.stop(); fcgiwrap?.stop()
        nginx = nil; fcgiwrap = nil
    }

    deinit { stop() }
}
