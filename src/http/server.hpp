#pragma once
// The HTTP/1.1 server: Boost.Beast, asynchronous, one io thread per core. Handlers run on
// the io thread that read the request (they are short and the database pool bounds them).
// Limits on header and body size, read and idle timeouts, keep-alive, and a graceful stop:
// stop accepting, let in-flight requests finish, then return from run().
#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "http/message.hpp"

namespace arrimage::http {

// A path that takes file uploads (a pattern in the routes' syntax, http/router.hpp) and the
// largest body it accepts: what its handler allows, with room for the multipart framing.
struct UploadPath {
    std::string pattern;
    std::size_t body_limit = 0;
};

struct ServerLimits {
    std::size_t header_limit = 16 * 1024;
    std::size_t body_limit = 1024 * 1024;
    // Larger bodies for these paths, decided once the headers are read.
    std::vector<UploadPath> upload_paths;
    // When set, an upload path's larger limit applies only to a request carrying this cookie (the
    // session's): the server reads a body before the handler checks who sent it, and nobody
    // signed out should make it read megabytes to be refused. The handler still decides.
    std::string upload_cookie;
    // When set, the cookie's value must also pass this check (a live, fully signed-in session:
    // web::WebApp::upload_session_check()); a made-up cookie gets the ordinary limit. Called on
    // the server's threads once per upload request, before its body is read.
    std::function<bool(std::string_view)> upload_session;
    // An upload granted its larger limit has, for its body, the read timeout plus the time this
    // rate takes to carry that limit (a slow link sending 10 MiB is not cut off at 15 s; a client
    // that stalls still is, at worst after that time).
    std::size_t upload_bytes_per_second = 64 * 1024;
    std::chrono::seconds read_timeout{15};
    std::chrono::seconds idle_timeout{60};
};

// Called when the request line and headers could not be parsed, or a limit was hit: the
// server answers with this status (400, 413, 431, 408) and closes the connection.
using Handler = std::function<Response(Request&)>;
using ErrorRenderer = std::function<Response(int status, const Request& partial)>;

// The wait before accepting again after the accept that failed following a wait of
// `previous` (0 after a success): 10 ms, then doubling, at most 1 s.
std::chrono::milliseconds next_accept_backoff(std::chrono::milliseconds previous);

class Server {
  public:
    Server(std::string address, unsigned short port, ServerLimits limits, Handler handler, ErrorRenderer on_error, int threads);
    ~Server();

    // Binds and listens; throws std::system_error when the address is unusable.
    void listen();
    unsigned short port() const;  // the bound port (useful with port 0)
    // Serves until stop() is called or SIGTERM/SIGINT arrives (when `handle_signals`).
    void run(bool handle_signals);
    void stop();

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace arrimage::http
