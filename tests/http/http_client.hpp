#pragma once
// A browser-like HTTP client for tests that drive the real server over TCP: keeps cookies and
// extracts the CSRF field of a page.
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <map>
#include <regex>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "core/text.hpp"

namespace arrimage::testsupport {

struct Reply {
    int status = 0;
    std::map<std::string, std::string> headers;  // lower-case names; Set-Cookie joined by '\n'
    std::string body;
    std::string header(const std::string& n) const {
        auto it = headers.find(n);
        return it == headers.end() ? "" : it->second;
    }
    bool has(const std::string& text) const { return body.find(text) != std::string::npos; }
};

class Client {
  public:
    explicit Client(unsigned short port) : port_(port) {}

    Reply get(const std::string& target, std::map<std::string, std::string> headers = {}) {
        return send("GET", target, "", std::move(headers));
    }
    Reply post(const std::string& target, const std::string& form, std::map<std::string, std::string> headers = {}) {
        headers["Content-Type"] = "application/x-www-form-urlencoded";
        return send("POST", target, form, std::move(headers));
    }
    // Posts a form with the CSRF token from the page at `page`.
    Reply submit(const std::string& page, const std::string& target, const std::string& form) {
        auto p = get(page);
        return post(target, "_csrf=" + csrf(p.body) + (form.empty() ? "" : "&" + form));
    }
    // A multipart/form-data POST (file upload): text fields, then files as (field, filename, content).
    Reply post_multipart(const std::string& target, const std::vector<std::pair<std::string, std::string>>& fields,
                         const std::vector<std::tuple<std::string, std::string, std::string>>& files) {
        const std::string boundary = "----arrimage-test-boundary-7MA4YWxk";
        std::string body;
        for (const auto& [name, value] : fields)
            body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n";
        for (const auto& [name, filename, content] : files)
            body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\"" + filename +
                    "\"\r\nContent-Type: text/csv\r\n\r\n" + content + "\r\n";
        body += "--" + boundary + "--\r\n";
        return send("POST", target, body, {{"Content-Type", "multipart/form-data; boundary=" + boundary}});
    }
    static std::string csrf(const std::string& html) {
        std::smatch m;
        static const std::regex re(R"re(name="_csrf" value="([^"]+)")re");
        return std::regex_search(html, m, re) ? m[1].str() : "";
    }
    std::string cookie(const std::string& name) const {
        auto it = jar_.find(name);
        return it == jar_.end() ? "" : it->second;
    }
    void set_cookie(const std::string& name, const std::string& value) { jar_[name] = value; }
    std::string accept_language = "en";

    Reply send(const std::string& method, const std::string& target, const std::string& body,
               std::map<std::string, std::string> headers) {
        namespace net = boost::asio;
        namespace beast = boost::beast;
        namespace bhttp = beast::http;
        net::io_context ioc;
        net::ip::tcp::socket s(ioc);
        s.connect({net::ip::make_address("127.0.0.1"), port_});
        bhttp::request<bhttp::string_body> req{bhttp::string_to_verb(method), target, 11};
        req.set(bhttp::field::host, "127.0.0.1");
        req.set(bhttp::field::accept_language, accept_language);
        std::string cookies;
        for (const auto& [k, v] : jar_) cookies += (cookies.empty() ? "" : "; ") + k + "=" + v;
        if (!cookies.empty()) req.set(bhttp::field::cookie, cookies);
        for (const auto& [k, v] : headers) req.set(k, v);
        req.body() = body;
        req.prepare_payload();
        bhttp::write(s, req);
        beast::flat_buffer buf;
        bhttp::response_parser<bhttp::string_body> parser;
        parser.body_limit(16 * 1024 * 1024);
        bhttp::read(s, buf, parser);
        auto res = parser.release();
        Reply r;
        r.status = static_cast<int>(res.result_int());
        r.body = res.body();
        for (const auto& f : res) {
            std::string name = ascii_lower(f.name_string());
            std::string value(f.value());
            if (name == "set-cookie") {
                const auto eq = value.find('='), semi = value.find(';');
                const std::string cname = value.substr(0, eq), cval = value.substr(eq + 1, semi - eq - 1);
                if (value.find("Max-Age=0") != std::string::npos)
                    jar_.erase(cname);
                else
                    jar_[cname] = cval;
                r.headers[name] += (r.headers[name].empty() ? "" : "\n") + value;
            } else {
                r.headers[name] = value;
            }
        }
        return r;
    }

  private:
    unsigned short port_;
    std::map<std::string, std::string> jar_;
};

inline std::string enc(const std::string& s) {
    return percent_encode(s);
}

// Raw bytes in, the first answer out (everything until the server closes the connection with
// `until_close`): for requests a well-behaved client cannot make.
inline std::string raw_response(unsigned short port, const std::string& bytes, bool until_close = false) {
    namespace net = boost::asio;
    net::io_context ioc;
    net::ip::tcp::socket s(ioc);
    s.connect({net::ip::make_address("127.0.0.1"), port});
    net::write(s, net::buffer(bytes));
    std::string out;
    boost::system::error_code ec;
    char chunk[4096];
    for (;;) {
        const auto n = s.read_some(net::buffer(chunk), ec);
        out.append(chunk, n);
        if (ec) break;
        if (until_close) continue;
        // Headers and a body of the announced length: done (keep-alive may hold the socket open).
        const auto end = out.find("\r\n\r\n");
        if (end == std::string::npos) continue;
        const auto cl = ascii_lower(out.substr(0, end)).find("content-length: ");
        if (cl == std::string::npos) continue;
        const auto length = std::stoul(out.substr(cl + 16, out.find("\r\n", cl) - cl - 16));
        if (out.size() >= end + 4 + length) break;
    }
    return out;
}

// The status code of the answer to raw bytes.
inline int raw_status(unsigned short port, const std::string& bytes) {
    const std::string out = raw_response(port, bytes);
    if (out.size() < 12) return 0;
    return std::stoi(out.substr(9, 3));
}

}  // namespace arrimage::testsupport
