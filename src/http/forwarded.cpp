#include "http/forwarded.hpp"

#include <boost/asio/ip/address.hpp>

#include <algorithm>

namespace arrimage::http {

namespace {

std::string_view trim_spaces(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

bool is_trusted(const std::string& address, const std::vector<std::string>& trusted) {
    return std::find(trusted.begin(), trusted.end(), address) != trusted.end();
}

}  // namespace

std::optional<std::string> parse_ip_address(std::string_view s) {
    boost::system::error_code ec;
    const auto address = boost::asio::ip::make_address(std::string(s), ec);
    if (ec) return std::nullopt;
    return address.to_string();
}

std::string client_address(const std::string& peer, std::string_view forwarded_for, const std::vector<std::string>& trusted) {
    const auto canonical_peer = parse_ip_address(peer);
    if (!canonical_peer || !is_trusted(*canonical_peer, trusted)) return peer;
    std::string client = *canonical_peer;
    // Right to left: each trusted hop vouches for the address on its left.
    while (!forwarded_for.empty()) {
        const auto comma = forwarded_for.rfind(',');
        const std::string_view hop =
            trim_spaces(comma == std::string_view::npos ? forwarded_for : forwarded_for.substr(comma + 1));
        forwarded_for = comma == std::string_view::npos ? std::string_view() : forwarded_for.substr(0, comma);
        const auto address = parse_ip_address(hop);
        if (!address) break;  // garbage: keep the last address a trusted hop vouched for
        client = *address;
        if (!is_trusted(client, trusted)) break;
    }
    return client;
}

}  // namespace arrimage::http
