#pragma once
// Credentials, server-side sessions, login throttling, single-use tokens (invitations,
// password resets), the email outbox and server settings.
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "store/db.hpp"

namespace arrimage::store {

struct Credentials {
    std::int64_t user_id = 0;
    std::string email;
    std::optional<std::string> password_hash;
    bool active = false;
    bool totp_enabled = false;
    std::optional<std::string> totp_secret;
    std::int64_t totp_last_step = 0;
    std::string preferred_lang;
};

struct SessionRow {
    std::string id;  // hash of the cookie token
    std::int64_t user_id = 0;
    TimePoint created_at, last_seen_at, expires_at;
    bool mfa_pending = false;
    // The membership chosen for the session (organisation and role), if any.
    std::optional<std::int64_t> acting_organisation_id;
    std::string acting_role;
};

struct TokenRow {
    std::int64_t id = 0;
    std::int64_t user_id = 0;
    std::string purpose;
    TimePoint expires_at;
    bool used = false;
};

struct OutboxMessage {
    std::int64_t id = 0;
    std::string to, subject, body, created_at, sent_at, last_error;
    std::int64_t attempts = 0;
};

class AuthRepo {
  public:
    AuthRepo(Tx& tx, const Clock& clock) : tx_(tx), clock_(clock) {}

    std::optional<Credentials> credentials_by_email(const std::string& email);
    std::optional<Credentials> credentials_by_id(std::int64_t user_id);
    void set_password_hash(std::int64_t user_id, const std::string& hash);  // never an API client's (see create_token)
    void record_login(std::int64_t user_id);

    void create_session(const std::string& id_hash, std::int64_t user_id, TimePoint expires_at, bool mfa_pending);
    // A live (not revoked, not expired, user active) session.
    std::optional<SessionRow> find_session(const std::string& id_hash);
    void touch_session(const std::string& id_hash);
    // Remembers the membership the session's user chose to act under.
    void set_acting_membership(const std::string& id_hash, std::int64_t organisation_id, std::string_view role);
    void clear_mfa_pending(const std::string& id_hash);
    void revoke_session(const std::string& id_hash);
    void revoke_user_sessions(std::int64_t user_id);
    std::int64_t purge_expired_sessions();

    // Failed logins within [since, now] for a scope ("account" or "address") and key.
    std::int64_t count_failures(std::string_view scope, const std::string& key, TimePoint since);
    void record_failure(std::string_view scope, const std::string& key);
    // When the latest failure of (scope, key) happened, if any.
    std::optional<TimePoint> last_failure(std::string_view scope, const std::string& key);
    void clear_failures(std::string_view scope, const std::string& key);

    // False, with nothing written, for an API client's service account (features/fhir), which
    // never signs in; the same refuses it a password.
    bool create_token(const std::string& token_hash, std::int64_t user_id, std::string_view purpose, TimePoint expires_at);
    std::optional<TokenRow> find_token(const std::string& token_hash);
    // Marks the token used; false when it was already used (a concurrent request won).
    bool consume_token(std::int64_t token_id);
    // Invalidates the user's outstanding tokens of `purpose` (a newer one was issued).
    void expire_tokens(std::int64_t user_id, std::string_view purpose);

    void set_totp_secret(std::int64_t user_id, const std::optional<std::string>& secret, bool enabled);
    // Records the last TOTP time step used; false if `step` is not newer (a replayed code).
    bool advance_totp_step(std::int64_t user_id, std::int64_t step);

    void enqueue_email(const std::string& to, const std::string& subject, const std::string& body);
    std::vector<OutboxMessage> list_outbox(int limit);
    std::vector<OutboxMessage> unsent_email(int limit);
    void mark_sent(std::int64_t id);
    void mark_failed(std::int64_t id, const std::string& error);

    std::optional<std::string> setting(const std::string& key);
    void put_setting(const std::string& key, const std::string& value);

  private:
    std::string now() const;
    Tx& tx_;
    const Clock& clock_;
};

}  // namespace arrimage::store
