#pragma once
// Delivers the email outbox over SMTP (libcurl). Messages are written to the outbox in the
// transaction of the request that produced them, so an email exists exactly when its change
// was committed; this worker sends them afterwards and records success or the last error.
// In `serve` the scheduler (scheduler.hpp) runs it on the leader only, every ten seconds, when
// --smtp-url is given. Delivery is at least once: a node killed between sending a message and
// marking it sent sends it again.
#include <chrono>
#include <optional>
#include <string>

#include "core/clock.hpp"
#include "store/auth_repo.hpp"
#include "store/db.hpp"

namespace arrimage::jobs {

struct SmtpSettings {
    std::string url;   // smtp://host:port (STARTTLS when offered) or smtps://host:port
    std::string from;  // envelope and header sender
    std::string username, password;
    std::chrono::seconds timeout{30};
};

class Mailer {
  public:
    virtual ~Mailer() = default;
    // nullopt when sent, otherwise the error to record.
    virtual std::optional<std::string> send(const store::OutboxMessage& m) = 0;
};

class SmtpMailer final : public Mailer {
  public:
    explicit SmtpMailer(SmtpSettings s);
    std::optional<std::string> send(const store::OutboxMessage& m) override;

  private:
    SmtpSettings s_;
};

// The RFC 5322 message (UTF-8 text, RFC 2047 subject) for an outbox entry.
std::string format_email(const store::OutboxMessage& m, const std::string& from, TimePoint date);

// Sends up to `batch` unsent messages; returns how many were sent.
int deliver_outbox(store::Database& db, const Clock& clock, Mailer& mailer, int batch = 20);

// `serve` runs deliver_outbox every ten seconds as the scheduled job "outbox" (scheduler.hpp), on
// the leader only.

}  // namespace arrimage::jobs
