#pragma once
// Method + path pattern → handler. Patterns are literal segments and {name} captures; a
// capture matches one non-empty segment.
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "http/message.hpp"

namespace arrimage::http {

template <typename Handler>
class Router {
  public:
    struct Route {
        std::string method;
        std::string pattern;
        std::vector<std::string> segments;
        Handler handler;
    };
    struct Match {
        const Route* route = nullptr;      // null: no route for this path and method
        bool path_matched = false;         // a route has this path under another method (405)
        std::vector<std::string> allowed;  // methods for the Allow header
    };

    void add(std::string method, std::string pattern, Handler handler) {
        routes_.push_back({std::move(method), pattern, split(pattern), std::move(handler)});
    }

    Match match(const std::string& method, const std::string& path, std::map<std::string, std::string>& params) const {
        Match m;
        const auto segs = split(path);
        for (const auto& r : routes_) {
            std::map<std::string, std::string> captured;
            if (!matches(r.segments, segs, captured)) continue;
            m.path_matched = true;
            m.allowed.push_back(r.method);
            if (r.method == method || (method == "HEAD" && r.method == "GET")) {
                if (!m.route) {
                    m.route = &r;
                    params = std::move(captured);
                }
            }
        }
        return m;
    }

    const std::vector<Route>& routes() const { return routes_; }

    static std::vector<std::string> split(const std::string& path) {
        std::vector<std::string> out;
        std::size_t i = 0;
        while (i < path.size()) {
            while (i < path.size() && path[i] == '/') ++i;
            const auto j = path.find('/', i);
            if (i < path.size()) out.push_back(path.substr(i, j == std::string::npos ? std::string::npos : j - i));
            if (j == std::string::npos) break;
            i = j;
        }
        // A trailing slash is its own (empty) segment so "/admin/" is not "/admin".
        if (path.size() > 1 && path.back() == '/') out.emplace_back();
        return out;
    }
    static bool matches(const std::vector<std::string>& pattern, const std::vector<std::string>& segs,
                        std::map<std::string, std::string>& captured) {
        if (pattern.size() != segs.size()) return false;
        for (std::size_t i = 0; i < pattern.size(); ++i) {
            const auto& p = pattern[i];
            if (p.size() > 2 && p.front() == '{' && p.back() == '}') {
                if (segs[i].empty()) return false;
                captured[p.substr(1, p.size() - 2)] = segs[i];
            } else if (p != segs[i]) {
                return false;
            }
        }
        return true;
    }

  private:
    std::vector<Route> routes_;
};

// Whether `path` matches `pattern`, in the routes' syntax ("/agreements/{id}/documents").
inline bool path_matches(const std::string& pattern, const std::string& path) {
    using R = Router<int>;
    std::map<std::string, std::string> captured;
    return R::matches(R::split(pattern), R::split(path), captured);
}

}  // namespace arrimage::http
