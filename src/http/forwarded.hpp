#pragma once
// The client's address behind reverse proxies. Behind a TLS-terminating proxy every request
// arrives from the proxy's address, so per-address limits (sign-in throttling) would lump all
// users together. Only proxies the operator lists are believed: their X-Forwarded-For header
// is read from the right, skipping trusted proxies, and the first other address is the
// client. A header from anyone else is ignored (it is trivially forged).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace arrimage::http {

// The canonical text of an IPv4 or IPv6 address ("::ffff:10.0.0.1" and "10.0.0.1" stay
// distinct; IPv6 is lower-cased and compressed); nullopt when `s` is not an address.
std::optional<std::string> parse_ip_address(std::string_view s);

// `peer`: the socket's address; `forwarded_for`: the X-Forwarded-For header (may be empty);
// `trusted`: canonical addresses of the proxies. Returns the client's canonical address, or
// `peer` when the peer is not trusted or the header holds nothing usable.
std::string client_address(const std::string& peer, std::string_view forwarded_for, const std::vector<std::string>& trusted);

}  // namespace arrimage::http
