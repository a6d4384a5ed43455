#pragma once
// Shared by the benchmarks that build a SQLite database of their own.
#include <cstdio>
#include <filesystem>
#include <string>
#include <system_error>

#include <unistd.h>

namespace arrimage::bench {

// The database file a benchmark works in: the one given (--db), or `file` in a fresh temporary
// directory named after `prefix`, removed with everything in it when this goes out of scope.
class ScratchDatabase {
  public:
    ScratchDatabase(const std::string& given, const std::string& prefix, const std::string& file) : path_(given) {
        if (!path_.empty()) return;
        std::string templ = (std::filesystem::temp_directory_path() / (prefix + ".XXXXXX")).string();
        if (!mkdtemp(templ.data())) {
            std::perror("mkdtemp");
            return;
        }
        dir_ = templ;
        path_ = (dir_ / file).string();
    }
    ~ScratchDatabase() {
        std::error_code ec;
        if (!dir_.empty()) std::filesystem::remove_all(dir_, ec);
    }
    ScratchDatabase(const ScratchDatabase&) = delete;
    ScratchDatabase& operator=(const ScratchDatabase&) = delete;

    bool ok() const { return !path_.empty(); }
    const std::string& path() const { return path_; }

  private:
    std::filesystem::path dir_;
    std::string path_;
};

}  // namespace arrimage::bench
