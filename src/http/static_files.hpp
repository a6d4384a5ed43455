#pragma once
// Front-end assets (Ontario Design System styles and fonts, htmx, our own CSS) loaded into
// memory at start-up and served under /static/ with ETag and long-lived cache headers; page
// links carry ?v=<version> so a new build is fetched at once.
#include <map>
#include <optional>
#include <string>

#include "http/message.hpp"

namespace arrimage::http {

class StaticFiles {
  public:
    // Loads every file under `dir` (recursively). Returns the number of files.
    std::size_t load(const std::string& dir);
    // `path` relative to the static root, e.g. "css/arrimage.css".
    std::optional<Response> serve(const std::string& path, const Request& req) const;
    const std::string& version() const { return version_; }

  private:
    struct File {
        std::string body, content_type, etag;
    };
    std::map<std::string, File> files_;
    std::string version_ = "0";
};

}  // namespace arrimage::http
