#pragma once
// Delivers the email outbox over SMTP (libcurl). Messages are written to the outbox in the
// transaction of the request that produced them, so an email exists exactly when its change
// was committed; this worker sends them afterwards and records success or the last error.
// Run the sender on one node only (the --smtp-url option).
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

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

// Calls deliver_outbox every `interval` on a background thread until stopped.
class OutboxWorker {
  public:
    OutboxWorker(store::Database& db, const Clock& clock, Mailer& mailer, std::chrono::seconds interval);
    ~OutboxWorker();
    void stop();

  private:
    void loop();
    store::Database& db_;
    const Clock& clock_;
    Mailer& mailer_;
    std::chrono::seconds interval_;
    std::mutex m_;
    std::condition_variable cv_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace arrimage::jobs
