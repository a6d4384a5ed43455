#pragma once
#include <chrono>
#include <string>
#include <vector>

#include "core/crypto.hpp"
#include "domain/identity.hpp"
#include "http/server.hpp"

namespace arrimage::web {

struct Config {
    std::string listen_address = "127.0.0.1";
    unsigned short port = 8080;
    // The operations listener (/metrics): loopback by default, never the public address.
    std::string metrics_address = "127.0.0.1";
    unsigned short metrics_port = 9464;
    std::string database_url = "sqlite:var/arrimage.db";
    std::string log_level = "info";
    std::string public_base_url = "http://127.0.0.1:8080";
    std::string static_dir;  // where the build put the front-end assets
    std::chrono::minutes session_idle{30};
    std::chrono::minutes session_absolute{12 * 60};
    int threads = 0;  // 0: one per core
    int db_pool = 0;  // 0: threads + 2
    http::ServerLimits limits;
    // Roles whose holders must sign in with a second factor (TOTP).
    std::vector<domain::Role> mfa_roles;
    // Sign-in throttling within the window (docs/SECURITY.md): failures allowed per (account,
    // address) pair and per address before a 429; from the per-account count on, each further
    // attempt waits a doubling delay (domain::sign_in_delay) unless the account has a second
    // factor; a password reset link clears it.
    int max_failures_per_pair = 5;
    int max_failures_per_account = 5;
    int max_failures_per_address = 20;
    // Password reset requests per account and per address within the window (more: the same
    // answer, no email).
    int max_resets_per_account = 3;
    int max_resets_per_address = 10;
    std::chrono::minutes throttle_window{15};
    // Referrals sent from the public form (not signed in) within the same window, per address.
    int max_public_referrals_per_address = 10;
    // Complaints sent from the public complaint form (not signed in) within the same window, per
    // address; counted apart from the referrals, so that one form's flood does not close the other.
    int max_public_complaints_per_address = 10;
    std::chrono::hours reset_token_ttl{1};
    std::chrono::hours invitation_ttl{7 * 24};
    // How long break-the-glass (emergency access to a child's file) lasts once opened, in
    // minutes (at most domain::BreakGlassPolicy's maximum, 240).
    int break_glass_minutes = 60;
    // Days after which a service's waitlist information is flagged as possibly out of date.
    int directory_stale_days = 30;
    // Directory search results kept in memory (store/search_cache.hpp): how many, how long.
    // 0 entries or 0 seconds: no cache.
    int search_cache_entries = 1000;
    std::chrono::seconds search_cache_ttl{30};
    // Development conveniences: the outbox page shows message bodies (reset links).
    bool dev_mode = false;
    PasswordHashCost password_cost = PasswordHashCost::interactive();
    // SMTP relay for the outbox; empty host: messages stay in the outbox.
    std::string smtp_url;
    std::string smtp_from = "arrimage@localhost";
    // Reverse proxies (canonical IP addresses) whose X-Forwarded-For names the client
    // (http/forwarded.hpp); the address sign-in throttling counts per source.
    std::vector<std::string> trusted_proxies;

    bool secure_cookies() const { return public_base_url.rfind("https://", 0) == 0; }
    std::string session_cookie() const { return secure_cookies() ? "__Host-arrimage_session" : "arrimage_session"; }
    std::string csrf_cookie() const { return secure_cookies() ? "__Host-arrimage_csrf" : "arrimage_csrf"; }
};

}  // namespace arrimage::web
