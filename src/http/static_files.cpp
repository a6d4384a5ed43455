#include "http/static_files.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/text.hpp"

namespace arrimage::http {

namespace fs = std::filesystem;

static std::string content_type_for(const fs::path& p) {
    const auto ext = p.extension().string();
    if (ext == ".css") return "text/css; charset=utf-8";
    if (ext == ".js") return "text/javascript; charset=utf-8";
    if (ext == ".svg") return "image/svg+xml";
    if (ext == ".png") return "image/png";
    if (ext == ".ico") return "image/x-icon";
    if (ext == ".woff2") return "font/woff2";
    if (ext == ".woff") return "font/woff";
    if (ext == ".ttf") return "font/ttf";
    if (ext == ".eot") return "application/vnd.ms-fontobject";
    if (ext == ".json") return "application/json";
    if (ext == ".txt") return "text/plain; charset=utf-8";
    return "application/octet-stream";
}

std::size_t StaticFiles::load(const std::string& dir) {
    std::string all_hashes;
    if (!fs::is_directory(dir)) return 0;
    for (const auto& entry : fs::recursive_directory_iterator(dir)) {
        if (!entry.is_regular_file()) continue;
        std::ifstream in(entry.path(), std::ios::binary);
        std::stringstream ss;
        ss << in.rdbuf();
        File f;
        f.body = ss.str();
        f.content_type = content_type_for(entry.path());
        f.etag.push_back('"');
        f.etag.append(hash_token(f.body), 0, 20);
        f.etag.push_back('"');
        all_hashes += f.etag;
        files_[fs::relative(entry.path(), dir).generic_string()] = std::move(f);
    }
    version_ = hash_token(all_hashes).substr(0, 12);
    return files_.size();
}

std::optional<Response> StaticFiles::serve(const std::string& path, const Request& req) const {
    auto it = files_.find(path);
    if (it == files_.end()) return std::nullopt;
    Response r;
    r.content_type = it->second.content_type;
    r.set_header("ETag", it->second.etag);
    r.set_header("Cache-Control", "public, max-age=31536000, immutable");
    if (req.header("if-none-match") == it->second.etag) {
        r.status = 304;
        return r;
    }
    r.body = it->second.body;
    return r;
}

}  // namespace arrimage::http
