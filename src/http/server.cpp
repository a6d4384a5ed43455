#include "http/server.hpp"

#include <boost/asio.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <algorithm>
#include <array>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "core/text.hpp"
#include "http/router.hpp"

namespace arrimage::http {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

struct Shared {
    ServerLimits limits;
    Handler handler;
    ErrorRenderer on_error;
    std::atomic<int> inflight{0};  // requests read but not yet answered
    std::atomic<bool> stopping{false};
    std::mutex m;
    std::condition_variable drained;
};

// A response as it goes on the wire: the status line and headers in one string, the body in
// another, written together with one gathering write. (Serialised here rather than through a
// beast::http::response: Beast allocates every header field separately and its serializer
// walks them buffer by buffer, a visible share of a small response's cost.)
struct Wire {
    std::string head, body;
    bool keep_alive = true;
};

void append_header_text(std::string& out, std::string_view s) {
    // Header names and values come from the application; a line break or NUL must never
    // start a new header.
    for (char c : s) out += (c == '\r' || c == '\n' || c == '\0') ? ' ' : c;
}

Wire to_wire(Response&& r, unsigned version, bool keep_alive, bool head) {
    Wire w;
    w.keep_alive = keep_alive;
    const auto reason = bhttp::obsolete_reason(static_cast<bhttp::status>(r.status));
    std::size_t size = 96 + r.content_type.size();
    for (const auto& [k, v] : r.headers) size += k.size() + v.size() + 4;
    w.head.reserve(size);
    w.head += version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ";
    w.head += std::to_string(r.status);
    w.head += ' ';
    w.head.append(reason.data(), reason.size());
    w.head += "\r\nContent-Type: ";
    append_header_text(w.head, r.content_type);
    w.head += "\r\n";
    for (const auto& [k, v] : r.headers) {
        append_header_text(w.head, k);
        w.head += ": ";
        append_header_text(w.head, v);
        w.head += "\r\n";
    }
    // HTTP/1.1 keeps the connection unless told; HTTP/1.0 closes it unless told.
    if (version >= 11 && !keep_alive) w.head += "Connection: close\r\n";
    if (version < 11 && keep_alive) w.head += "Connection: keep-alive\r\n";
    w.head += "Content-Length: ";
    w.head += std::to_string(r.body.size());
    w.head += "\r\n\r\n";
    if (!head) w.body = std::move(r.body);
    return w;
}

class Connection : public std::enable_shared_from_this<Connection> {
  public:
    Connection(tcp::socket&& socket, std::shared_ptr<Shared> shared) : stream_(std::move(socket)), shared_(std::move(shared)) {
        beast::error_code ec;
        auto ep = stream_.socket().remote_endpoint(ec);
        if (!ec) remote_ = ep.address().to_string();
    }
    void start() { net::dispatch(stream_.get_executor(), beast::bind_front_handler(&Connection::read, shared_from_this())); }

  private:
    void read() {
        if (shared_->stopping) return close();
        parser_.emplace();
        body_timeout_ = shared_->limits.read_timeout;
        parser_->header_limit(static_cast<std::uint32_t>(shared_->limits.header_limit));
        // The parser checks a declared Content-Length against its limit while reading the
        // headers, before the path is known: start with the larger limit when some paths take
        // uploads, and set the path's own limit in on_header.
        const auto& lim = shared_->limits;
        std::size_t largest = lim.body_limit;
        for (const auto& u : lim.upload_paths) largest = std::max(largest, u.body_limit);
        parser_->body_limit(largest);
        // A kept-alive connection may wait up to the idle timeout for the first byte of its
        // next request; from there, like a new connection, the headers must arrive within the
        // read timeout.
        if (!first_request_ && buffer_.size() == 0) {
            stream_.expires_after(shared_->limits.idle_timeout);
            stream_.async_read_some(buffer_.prepare(4096),
                                    beast::bind_front_handler(&Connection::on_first_bytes, shared_from_this()));
            return;
        }
        read_header();
    }

    void on_first_bytes(beast::error_code ec, std::size_t n) {
        if (ec) return on_read(ec, n);
        buffer_.commit(n);
        read_header();
    }

    void read_header() {
        // A request usually arrives whole in one read: parse what is already buffered here,
        // sparing the two completions the asynchronous reads would post (each a trip through
        // the io_context, often a wake-up of another thread).
        if (buffer_.size() > 0 && parse_buffered()) return;
        stream_.expires_after(shared_->limits.read_timeout);
        bhttp::async_read_header(stream_, buffer_, *parser_,
                                 beast::bind_front_handler(&Connection::on_header, shared_from_this()));
    }

    // Feeds the buffered bytes to the parser (the headers first, so their limits are applied
    // before any of the body). True when this has taken the request further (answered it,
    // refused it, or started reading the rest of its body); false when the headers are still
    // incomplete and must be read.
    bool parse_buffered() {
        beast::error_code ec;
        parser_->eager(false);
        while (!parser_->is_header_done()) {
            const auto used = parser_->put(buffer_.data(), ec);
            buffer_.consume(used);
            if (ec == bhttp::error::need_more) return false;
            if (ec) {
                on_read(ec, 0);
                return true;
            }
            if (used == 0 || buffer_.size() == 0) {
                if (!parser_->is_header_done()) return false;
            }
        }
        if (auto status = header_refusal()) {
            fail(*status);
            return true;
        }
        parser_->eager(true);
        while (!parser_->is_done() && buffer_.size() > 0) {
            const auto used = parser_->put(buffer_.data(), ec);
            buffer_.consume(used);
            if (ec == bhttp::error::need_more) break;
            if (ec) {
                on_read(ec, 0);
                return true;
            }
            if (used == 0) break;
        }
        if (parser_->is_done()) {
            on_read({}, 0);
        } else {
            stream_.expires_after(body_timeout_);
            bhttp::async_read(stream_, buffer_, *parser_, beast::bind_front_handler(&Connection::on_read, shared_from_this()));
        }
        return true;
    }

    // Headers read: an upload path may send a larger body; any other path is held to the
    // ordinary limit from here on. A status when the declared body is already too large.
    // Whether the request's headers carry a non-empty cookie `name` that passes `check` (when set).
    bool carries_cookie(std::string_view name, const std::function<bool(std::string_view)>& check) const {
        for (const auto& f : parser_->get())
            if (f.name() == bhttp::field::cookie) {
                auto v = cookie_value(std::string_view(f.value().data(), f.value().size()), name);
                if (v && !v->empty() && (!check || check(*v))) return true;
            }
        return false;
    }

    std::optional<int> header_refusal() {
        const auto& lim = shared_->limits;
        {
            std::vector<std::string_view> te;
            const auto& msg = parser_->get();
            for (const auto& f : msg)
                if (f.name() == bhttp::field::transfer_encoding) te.emplace_back(f.value().data(), f.value().size());
            if (!acceptable_framing(te, msg.find(bhttp::field::content_length) != msg.end())) return 400;
        }
        if (!lim.upload_paths.empty()) {
            const auto target = parser_->get().target();
            const auto path = target.substr(0, target.find('?'));
            const std::string p(path);
            const auto upload = std::find_if(lim.upload_paths.begin(), lim.upload_paths.end(),
                                             [&](const UploadPath& u) { return path_matches(u.pattern, p); });
            const bool granted = upload != lim.upload_paths.end() &&
                                 (lim.upload_cookie.empty() || carries_cookie(lim.upload_cookie, lim.upload_session));
            const std::size_t limit = granted ? std::max(lim.body_limit, upload->body_limit) : lim.body_limit;
            if (parser_->content_length() && *parser_->content_length() > limit) return 413;
            parser_->body_limit(limit);  // counts what is read from here on (chunked bodies)
            body_timeout_ = lim.read_timeout;
            if (granted && lim.upload_bytes_per_second > 0) {
                body_timeout_ += std::chrono::seconds(limit / lim.upload_bytes_per_second);
                stream_.expires_after(body_timeout_);
            }
        }
        return std::nullopt;
    }

    // Headers read: then read the rest.
    void on_header(beast::error_code ec, std::size_t n) {
        if (ec) return on_read(ec, n);
        if (auto status = header_refusal()) return fail(*status);
        bhttp::async_read(stream_, buffer_, *parser_, beast::bind_front_handler(&Connection::on_read, shared_from_this()));
    }

    void on_read(beast::error_code ec, std::size_t) {
        if (ec == bhttp::error::end_of_stream || ec == net::error::eof || ec == net::error::connection_reset) return close();
        if (ec == beast::error::timeout) {
            // tcp_stream has closed the socket: a half-sent request is only recorded (408),
            // there is no one left to answer.
            if (buffer_.size() > 0 || parser_->got_some()) return fail(408);
            return close();
        }
        if (ec == bhttp::error::header_limit) return fail(431);
        if (ec == bhttp::error::body_limit) return fail(413);
        if (ec == net::error::operation_aborted) return close();
        if (ec) return fail(400);
        first_request_ = false;
        ++shared_->inflight;

        auto& msg = parser_->get();
        Request req;
        req.method = std::string(msg.method_string());
        req.target = std::string(msg.target());
        req.remote_addr = remote_;
        for (const auto& f : msg) req.headers[ascii_lower(f.name_string())] = std::string(f.value());
        req.body = std::move(msg.body());
        const bool keep_alive = msg.keep_alive() && !shared_->stopping;
        const bool head = msg.method() == bhttp::verb::head;
        const unsigned version = msg.version();

        Response r;
        if (!parse_target(req.target, req.path, req.query)) {
            r = shared_->on_error(400, req);
        } else {
            try {
                r = shared_->handler(req);
            } catch (...) {
                r = shared_->on_error(500, req);
            }
        }
        if (r.defer) {
            // Held until the handler's condition is met (Response::defer), then written on this
            // connection's strand. The connection waits without holding an io thread.
            auto defer = std::move(r.defer);
            r.defer = nullptr;
            auto held = std::make_shared<Response>(std::move(r));
            defer([self = shared_from_this(), held, version, keep_alive, head](std::optional<Response> instead) {
                if (instead) *held = std::move(*instead);
                net::post(self->stream_.get_executor(), [self, held, version, keep_alive, head] {
                    self->write(to_wire(std::move(*held), version, keep_alive, head));
                });
            });
            return;
        }
        write(to_wire(std::move(r), version, keep_alive, head));
    }

    void fail(int status) {
        Request partial;
        partial.remote_addr = remote_;
        if (parser_ && parser_->is_header_done()) {
            for (const auto& f : parser_->get()) partial.headers[ascii_lower(f.name_string())] = std::string(f.value());
        }
        write(to_wire(shared_->on_error(status, partial), 11, false, false), false);
    }

    void write(Wire&& res, bool counted = true) {
        auto sp = std::make_shared<Wire>(std::move(res));
        const bool close_after = !sp->keep_alive;
        stream_.expires_after(shared_->limits.read_timeout);
        const std::array<net::const_buffer, 2> buffers{net::buffer(sp->head), net::buffer(sp->body)};
        net::async_write(stream_, buffers,
                         [self = shared_from_this(), sp, close_after, counted](beast::error_code ec, std::size_t) {
                             if (counted && --self->shared_->inflight == 0) {
                                 std::lock_guard lk(self->shared_->m);
                                 self->shared_->drained.notify_all();
                             }
                             if (ec || close_after || self->shared_->stopping) return self->close();
                             self->read();
                         });
    }

    void close() {
        beast::error_code ec;
        stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
        stream_.socket().close(ec);
    }

    beast::tcp_stream stream_;
    beast::flat_buffer buffer_;
    std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
    std::shared_ptr<Shared> shared_;
    std::string remote_;
    bool first_request_ = true;
    // How long the rest of the body may take once the headers are read (header_refusal()).
    std::chrono::seconds body_timeout_{15};
};

}  // namespace

std::chrono::milliseconds next_accept_backoff(std::chrono::milliseconds previous) {
    if (previous.count() <= 0) return std::chrono::milliseconds(10);
    return std::min(previous * 2, std::chrono::milliseconds(1000));
}

struct Server::Impl {
    std::string address;
    unsigned short port;
    int threads;
    net::io_context ioc;
    tcp::acceptor acceptor{ioc};
    std::shared_ptr<Shared> shared = std::make_shared<Shared>();
    net::executor_work_guard<net::io_context::executor_type> work = net::make_work_guard(ioc);

    // After a failed accept (no file descriptors left, no memory for the socket), the next one
    // waits: at once again it would fail again, spinning a core. 10 ms, doubling to 1 s; the
    // first success resets it.
    net::steady_timer accept_retry{ioc};
    std::chrono::milliseconds accept_backoff{0};

    void accept() {
        acceptor.async_accept(net::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
            if (!acceptor.is_open() || shared->stopping) return;
            if (ec) {
                accept_backoff = next_accept_backoff(accept_backoff);
                accept_retry.expires_after(accept_backoff);
                accept_retry.async_wait([this](beast::error_code wait_ec) {
                    if (!wait_ec) accept();
                });
                return;
            }
            accept_backoff = std::chrono::milliseconds(0);
            socket.set_option(tcp::no_delay(true), ec);
            std::make_shared<Connection>(std::move(socket), shared)->start();
            accept();
        });
    }

    std::thread stopper;  // waits for in-flight requests, then stops the io_context

    void begin_stop() {
        if (shared->stopping.exchange(true)) return;
        net::post(ioc, [this] {
            beast::error_code ec;
            acceptor.close(ec);
            accept_retry.cancel();
            // In-flight requests finish and their connections close after the response;
            // idle keep-alive connections are dropped when the io_context stops. Joined by
            // run() (or the destructor), so it never outlives the server.
            stopper = std::thread([this] {
                std::unique_lock lk(shared->m);
                shared->drained.wait_for(lk, std::chrono::seconds(10), [&] { return shared->inflight == 0; });
                lk.unlock();
                ioc.stop();
                work.reset();
            });
        });
    }
};

Server::Server(std::string address, unsigned short port, ServerLimits limits, Handler handler, ErrorRenderer on_error,
               int threads)
    : impl_(std::make_unique<Impl>()) {
    impl_->address = std::move(address);
    impl_->port = port;
    impl_->threads = std::max(1, threads);
    impl_->shared->limits = limits;
    impl_->shared->handler = std::move(handler);
    impl_->shared->on_error = std::move(on_error);
}

Server::~Server() {
    if (impl_->stopper.joinable()) impl_->stopper.join();
}

void Server::listen() {
    const auto addr = net::ip::make_address(impl_->address);
    tcp::endpoint ep{addr, impl_->port};
    impl_->acceptor.open(ep.protocol());
    impl_->acceptor.set_option(net::socket_base::reuse_address(true));
    impl_->acceptor.bind(ep);
    impl_->acceptor.listen(net::socket_base::max_listen_connections);
}

unsigned short Server::port() const {
    return impl_->acceptor.local_endpoint().port();
}

void Server::run(bool handle_signals) {
    std::optional<net::signal_set> signals;
    if (handle_signals) {
        signals.emplace(impl_->ioc, SIGINT, SIGTERM);
        signals->async_wait([this](beast::error_code ec, int) {
            if (!ec) impl_->begin_stop();
        });
    }
    impl_->accept();
    std::vector<std::thread> pool;
    for (int i = 1; i < impl_->threads; ++i) pool.emplace_back([this] { impl_->ioc.run(); });
    impl_->ioc.run();
    for (auto& t : pool) t.join();
    if (impl_->stopper.joinable()) impl_->stopper.join();
}

void Server::stop() {
    impl_->begin_stop();
}

}  // namespace arrimage::http
