// The benchmark baseline: the smallest reasonable Boost.Beast asynchronous HTTP/1.1 server.
// Every request gets 200 "ok" (keep-alive honoured), io threads like src/http/server.cpp (one
// per core unless told, as `arrimage serve --threads`) but without routing, logging or any
// application work.
//
//   baseline_server PORT [ADDRESS] [THREADS]     (ADDRESS defaults to 127.0.0.1, THREADS to 0:
//                                                 one per core)
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

class Session : public std::enable_shared_from_this<Session> {
  public:
    explicit Session(tcp::socket&& s) : stream_(std::move(s)) {}
    void start() { net::dispatch(stream_.get_executor(), beast::bind_front_handler(&Session::read, shared_from_this())); }

  private:
    void read() {
        req_ = {};
        stream_.expires_after(std::chrono::seconds(60));
        http::async_read(stream_, buffer_, req_, beast::bind_front_handler(&Session::on_read, shared_from_this()));
    }
    void on_read(beast::error_code ec, std::size_t) {
        if (ec) return close();
        res_ = {};
        res_.result(http::status::ok);
        res_.version(req_.version());
        res_.set(http::field::content_type, "text/plain; charset=utf-8");
        res_.keep_alive(req_.keep_alive());
        res_.body() = "ok\n";
        res_.prepare_payload();
        http::async_write(stream_, res_, beast::bind_front_handler(&Session::on_write, shared_from_this()));
    }
    void on_write(beast::error_code ec, std::size_t) {
        if (ec || !res_.keep_alive()) return close();
        read();
    }
    void close() {
        beast::error_code ec;
        stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
        stream_.socket().close(ec);
    }

    beast::tcp_stream stream_;
    beast::flat_buffer buffer_;
    http::request<http::string_body> req_;
    http::response<http::string_body> res_;
};

void accept(tcp::acceptor& acceptor, net::io_context& ioc) {
    acceptor.async_accept(net::make_strand(ioc), [&](beast::error_code ec, tcp::socket socket) {
        if (!acceptor.is_open()) return;
        if (!ec) {
            socket.set_option(tcp::no_delay(true), ec);
            std::make_shared<Session>(std::move(socket))->start();
        }
        accept(acceptor, ioc);
    });
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::cerr << "usage: baseline_server PORT [ADDRESS] [THREADS]\n";
        return 2;
    }
    const auto port = static_cast<unsigned short>(std::atoi(argv[1]));
    const auto address = net::ip::make_address(argc > 2 ? argv[2] : "127.0.0.1");
    const int asked = argc > 3 ? std::atoi(argv[3]) : 0;
    const int threads = asked > 0 ? asked : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));

    net::io_context ioc{threads};
    tcp::acceptor acceptor{ioc};
    const tcp::endpoint ep{address, port};
    acceptor.open(ep.protocol());
    acceptor.set_option(net::socket_base::reuse_address(true));
    acceptor.bind(ep);
    acceptor.listen(net::socket_base::max_listen_connections);
    accept(acceptor, ioc);

    net::signal_set signals(ioc, SIGINT, SIGTERM);
    signals.async_wait([&](beast::error_code, int) { ioc.stop(); });

    std::cout << "baseline_server listening on " << acceptor.local_endpoint() << " with " << threads << " threads" << std::endl;
    std::vector<std::thread> pool;
    for (int i = 1; i < threads; ++i) pool.emplace_back([&] { ioc.run(); });
    ioc.run();
    for (auto& t : pool) t.join();
    return 0;
}
