#include "store/auth_repo.hpp"

#include "core/text.hpp"
#include "core/time.hpp"

namespace arrimage::store {

namespace {

constexpr const char* credential_columns =
    "id, email, password_hash, active, totp_enabled, totp_secret, totp_last_step, preferred_lang";

Credentials credentials_from(const Row& r) {
    return Credentials{r.i64(0), r.str(1), r.opt_str(2), r.boolean(3), r.boolean(4), r.opt_str(5), r.i64(6), r.str(7)};
}

TimePoint tp(const std::string& s) {
    return parse_iso(s).value_or(TimePoint{});
}

OutboxMessage outbox_from(const Row& r) {
    return OutboxMessage{r.i64(0), r.str(1), r.str(2), r.str(3), r.str(4), r.str(5), r.str(6), r.i64(7)};
}

constexpr const char* outbox_columns = "id, to_address, subject, body_text, created_at, sent_at, last_error, attempts";

}  // namespace

std::string AuthRepo::now() const {
    return format_iso(clock_.now());
}

std::optional<Credentials> AuthRepo::credentials_by_email(const std::string& email) {
    auto r = tx_.query_one(std::string("SELECT ") + credential_columns + " FROM users WHERE email = ?", {email});
    if (!r) return std::nullopt;
    return credentials_from(*r);
}

std::optional<Credentials> AuthRepo::credentials_by_id(std::int64_t user_id) {
    auto r = tx_.query_one(std::string("SELECT ") + credential_columns + " FROM users WHERE id = ?", {user_id});
    if (!r) return std::nullopt;
    return credentials_from(*r);
}

void AuthRepo::set_password_hash(std::int64_t user_id, const std::string& hash) {
    // An API client's service account (features/fhir) never gets a password: it never signs in.
    tx_.exec("UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ? AND id NOT IN (SELECT user_id FROM api_clients)",
             {hash, now(), user_id});
}

void AuthRepo::record_login(std::int64_t user_id) {
    tx_.exec("UPDATE users SET last_login_at = ? WHERE id = ?", {now(), user_id});
}

void AuthRepo::create_session(const std::string& id_hash, std::int64_t user_id, TimePoint expires_at, bool mfa_pending) {
    const auto t = now();
    tx_.exec(
        "INSERT INTO sessions (id, user_id, created_at, last_seen_at, expires_at, mfa_pending) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        {id_hash, user_id, t, t, format_iso(expires_at), std::int64_t{mfa_pending ? 1 : 0}});
}

std::optional<SessionRow> AuthRepo::find_session(const std::string& id_hash) {
    auto r = tx_.query_one(
        "SELECT s.id, s.user_id, s.created_at, s.last_seen_at, s.expires_at, s.mfa_pending, s.acting_organisation_id, "
        "COALESCE(s.acting_role, '') FROM sessions s "
        "JOIN users u ON u.id = s.user_id WHERE s.id = ? AND s.revoked = 0 AND u.active = 1 AND s.expires_at > ?",
        {id_hash, now()});
    if (!r) return std::nullopt;
    return SessionRow{r->str(0), r->i64(1), tp(r->str(2)), tp(r->str(3)), tp(r->str(4)), r->boolean(5), r->opt_i64(6), r->str(7)};
}

void AuthRepo::set_acting_membership(const std::string& id_hash, std::int64_t organisation_id, std::string_view role) {
    tx_.exec("UPDATE sessions SET acting_organisation_id = ?, acting_role = ? WHERE id = ?",
             {organisation_id, std::string(role), id_hash});
}

void AuthRepo::touch_session(const std::string& id_hash) {
    tx_.exec("UPDATE sessions SET last_seen_at = ? WHERE id = ?", {now(), id_hash});
}

void AuthRepo::clear_mfa_pending(const std::string& id_hash) {
    tx_.exec("UPDATE sessions SET mfa_pending = 0 WHERE id = ?", {id_hash});
}

void AuthRepo::revoke_session(const std::string& id_hash) {
    tx_.exec("UPDATE sessions SET revoked = 1 WHERE id = ?", {id_hash});
}

void AuthRepo::revoke_user_sessions(std::int64_t user_id) {
    tx_.exec("UPDATE sessions SET revoked = 1 WHERE user_id = ?", {user_id});
}

std::int64_t AuthRepo::purge_expired_sessions() {
    return tx_.exec("DELETE FROM sessions WHERE expires_at <= ? OR revoked = 1", {now()});
}

std::int64_t AuthRepo::count_failures(std::string_view scope, const std::string& key, TimePoint since) {
    auto r = tx_.query_one("SELECT COUNT(*) FROM login_failures WHERE scope = ? AND key = ? AND at >= ?",
                           {std::string(scope), key, format_iso(since)});
    return r ? r->i64(0) : 0;
}

void AuthRepo::record_failure(std::string_view scope, const std::string& key) {
    tx_.exec("INSERT INTO login_failures (scope, key, at) VALUES (?, ?, ?)", {std::string(scope), key, now()});
}

std::optional<TimePoint> AuthRepo::last_failure(std::string_view scope, const std::string& key) {
    auto r = tx_.query_one("SELECT MAX(at) FROM login_failures WHERE scope = ? AND key = ?", {std::string(scope), key});
    if (!r || r->is_null(0)) return std::nullopt;
    return tp(r->str(0));
}

void AuthRepo::clear_failures(std::string_view scope, const std::string& key) {
    tx_.exec("DELETE FROM login_failures WHERE scope = ? AND key = ?", {std::string(scope), key});
}

bool AuthRepo::create_token(const std::string& token_hash, std::int64_t user_id, std::string_view purpose, TimePoint expires_at) {
    // Nor a sign-in link (a reset asked for its address, an invitation).
    return tx_.exec(
               "INSERT INTO user_tokens (token_hash, user_id, purpose, created_at, expires_at) SELECT ?, ?, ?, ?, ? "
               "WHERE NOT EXISTS (SELECT 1 FROM api_clients WHERE user_id = ?)",
               {token_hash, user_id, std::string(purpose), now(), format_iso(expires_at), user_id}) == 1;
}

std::optional<TokenRow> AuthRepo::find_token(const std::string& token_hash) {
    auto r =
        tx_.query_one("SELECT id, user_id, purpose, expires_at, used_at FROM user_tokens WHERE token_hash = ?", {token_hash});
    if (!r) return std::nullopt;
    return TokenRow{r->i64(0), r->i64(1), r->str(2), tp(r->str(3)), !r->is_null(4)};
}

bool AuthRepo::consume_token(std::int64_t token_id) {
    return tx_.exec("UPDATE user_tokens SET used_at = ? WHERE id = ? AND used_at IS NULL", {now(), token_id}) == 1;
}

void AuthRepo::expire_tokens(std::int64_t user_id, std::string_view purpose) {
    tx_.exec("UPDATE user_tokens SET used_at = ? WHERE user_id = ? AND purpose = ? AND used_at IS NULL",
             {now(), user_id, std::string(purpose)});
}

void AuthRepo::set_totp_secret(std::int64_t user_id, const std::optional<std::string>& secret, bool enabled) {
    tx_.exec("UPDATE users SET totp_secret = ?, totp_enabled = ?, totp_last_step = 0, updated_at = ? WHERE id = ?",
             {opt(secret), std::int64_t{enabled ? 1 : 0}, now(), user_id});
}

bool AuthRepo::advance_totp_step(std::int64_t user_id, std::int64_t step) {
    return tx_.exec("UPDATE users SET totp_last_step = ? WHERE id = ? AND totp_last_step < ?", {step, user_id, step}) == 1;
}

void AuthRepo::enqueue_email(const std::string& to, const std::string& subject, const std::string& body) {
    // A FHIR API client's service account (features/fhir) is not a person: its address, under a
    // domain reserved by RFC 2606, exists only because every user has one, and can never be
    // delivered. Whatever path reaches it (a notification, a reminder, an invitation),
    // nothing is queued: the outbox would only retry it until it gave up.
    if (ascii_lower(trim(to)).ends_with("@api-clients.invalid")) return;
    tx_.exec("INSERT INTO outbox (to_address, subject, body_text, created_at) VALUES (?, ?, ?, ?)", {to, subject, body, now()});
}

std::vector<OutboxMessage> AuthRepo::list_outbox(int limit) {
    std::vector<OutboxMessage> out;
    for (const auto& r :
         tx_.query(std::string("SELECT ") + outbox_columns + " FROM outbox ORDER BY id DESC LIMIT ?", {std::int64_t{limit}}))
        out.push_back(outbox_from(r));
    return out;
}

std::vector<OutboxMessage> AuthRepo::unsent_email(int limit) {
    std::vector<OutboxMessage> out;
    for (const auto& r : tx_.query(
             std::string("SELECT ") + outbox_columns + " FROM outbox WHERE sent_at IS NULL AND attempts < 5 ORDER BY id LIMIT ?",
             {std::int64_t{limit}}))
        out.push_back(outbox_from(r));
    return out;
}

void AuthRepo::mark_sent(std::int64_t id) {
    tx_.exec("UPDATE outbox SET sent_at = ?, attempts = attempts + 1, last_error = NULL WHERE id = ?", {now(), id});
}

void AuthRepo::mark_failed(std::int64_t id, const std::string& error) {
    tx_.exec("UPDATE outbox SET attempts = attempts + 1, last_error = ? WHERE id = ?", {error, id});
}

std::optional<std::string> AuthRepo::setting(const std::string& key) {
    auto r = tx_.query_one("SELECT value FROM settings WHERE key = ?", {key});
    if (!r) return std::nullopt;
    return r->str(0);
}

void AuthRepo::put_setting(const std::string& key, const std::string& value) {
    tx_.exec("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
             {key, value});
}

}  // namespace arrimage::store
