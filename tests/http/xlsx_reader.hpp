// Reads back the XLSX workbooks the exports write (minizip, PkgConfig MINIZIP in
// tests/CMakeLists.txt): a part of the zip, and a sheet's cells as text.
#pragma once
#include <unistd.h>

#include <minizip/unzip.h>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <string>
#include <utility>
#include <vector>

namespace arrimage::testsupport {

// One part of a zip file (an XLSX workbook), read with minizip; "" when it has none.
inline std::string zip_part(const std::string& bytes, const std::string& name) {
    const auto path = std::filesystem::temp_directory_path() / ("arrimage-test-" + std::to_string(::getpid()) + ".zip");
    std::ofstream(path, std::ios::binary) << bytes;
    std::string out;
    if (unzFile zf = unzOpen(path.c_str())) {
        if (unzLocateFile(zf, name.c_str(), 0) == UNZ_OK && unzOpenCurrentFile(zf) == UNZ_OK) {
            char buf[8192];
            for (int n; (n = unzReadCurrentFile(zf, buf, sizeof buf)) > 0;) out.append(buf, static_cast<std::size_t>(n));
            unzCloseCurrentFile(zf);
        }
        unzClose(zf);
    }
    std::filesystem::remove(path);
    return out;
}

inline std::string unescape_xml(std::string s) {
    for (const auto& [from, to] : std::vector<std::pair<std::string, std::string>>{
             {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&apos;", "'"}, {"&amp;", "&"}})
        for (auto at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) s.replace(at, from.size(), to);
    return s;
}

// The cells of a workbook's sheet (1 is the first) as text, by reference ("B4"): shared strings
// resolved, numbers as written.
inline std::map<std::string, std::string> sheet_cells(const std::string& book, int sheet) {
    std::vector<std::string> shared;
    const std::string strings = zip_part(book, "xl/sharedStrings.xml");
    const std::regex si("<si>([\\s\\S]*?)</si>"), t("<t[^>]*>([\\s\\S]*?)</t>");
    for (auto it = std::sregex_iterator(strings.begin(), strings.end(), si); it != std::sregex_iterator(); ++it) {
        std::string text;
        const std::string inner = (*it)[1];
        for (auto p = std::sregex_iterator(inner.begin(), inner.end(), t); p != std::sregex_iterator(); ++p) text += (*p)[1];
        shared.push_back(unescape_xml(text));
    }
    std::map<std::string, std::string> out;
    const std::string xml = zip_part(book, "xl/worksheets/sheet" + std::to_string(sheet) + ".xml");
    const std::regex c("<c r=\"([A-Z]+[0-9]+)\"([^>/]*)>([\\s\\S]*?)</c>"), v("<v>([^<]*)</v>");
    for (auto it = std::sregex_iterator(xml.begin(), xml.end(), c); it != std::sregex_iterator(); ++it) {
        const std::string attrs = (*it)[2], inner = (*it)[3];
        std::smatch m;
        if (!std::regex_search(inner, m, v)) continue;
        out[(*it)[1]] = attrs.find("t=\"s\"") != std::string::npos ? shared.at(std::stoul(m[1])) : std::string(m[1]);
    }
    return out;
}

}  // namespace arrimage::testsupport
