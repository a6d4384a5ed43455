// Outbox delivery over SMTP, against a small SMTP server on loopback.
#include <gtest/gtest.h>

#include <boost/asio.hpp>

#include <thread>

#include "core/time.hpp"
#include "db/test_support.hpp"
#include "jobs/outbox_sender.hpp"
#include "store/auth_repo.hpp"

using namespace arrimage;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

// Accepts SMTP sessions and records each message's envelope and data.
class FakeSmtp {
  public:
    FakeSmtp() : acceptor_(ioc_, {net::ip::make_address("127.0.0.1"), 0}) {
        thread_ = std::thread([this] { serve(); });
    }
    ~FakeSmtp() {
        stopping_ = true;
        boost::system::error_code ec;
        // Wake the blocking accept.
        tcp::socket s(ioc_);
        s.connect(acceptor_.local_endpoint(), ec);
        thread_.join();
    }
    unsigned short port() const { return acceptor_.local_endpoint().port(); }
    std::vector<std::string> messages, recipients;

  private:
    void serve() {
        while (!stopping_) {
            tcp::socket s(ioc_);
            boost::system::error_code ec;
            acceptor_.accept(s, ec);
            if (ec || stopping_) return;
            session(s);
        }
    }
    void session(tcp::socket& s) {
        boost::system::error_code ec;
        auto say = [&](const std::string& line) { net::write(s, net::buffer(line + "\r\n"), ec); };
        net::streambuf buf;
        say("220 fake ESMTP");
        for (;;) {
            net::read_until(s, buf, "\r\n", ec);
            if (ec) return;
            std::istream in(&buf);
            std::string line;
            std::getline(in, line);
            if (!line.empty() && line.back() == '\r') line.pop_back();
            const std::string verb = line.substr(0, 4);
            if (verb == "EHLO" || verb == "HELO")
                say("250 fake");
            else if (verb == "MAIL")
                say("250 ok");
            else if (verb == "RCPT")
                recipients.push_back(line), say("250 ok");
            else if (verb == "DATA") {
                say("354 go ahead");
                net::read_until(s, buf, "\r\n.\r\n", ec);
                std::string data(net::buffers_begin(buf.data()), net::buffers_end(buf.data()));
                const auto end = data.find("\r\n.\r\n");
                messages.push_back(data.substr(0, end));
                buf.consume(end + 5);
                say("250 queued");
            } else if (verb == "QUIT") {
                say("221 bye");
                return;
            } else
                say("250 ok");
        }
    }
    net::io_context ioc_;
    tcp::acceptor acceptor_;
    std::atomic<bool> stopping_{false};
    std::thread thread_;
};

}  // namespace

class Outbox : public ::testing::Test {
  protected:
    void SetUp() override {
        std::string why;
        t_ = testsupport::open_test_db(why);
        if (!t_) GTEST_SKIP() << why;
    }
    void enqueue(const std::string& to, const std::string& subject, const std::string& body) {
        auto tx = t_->db->begin(store::TxMode::write);
        store::AuthRepo(*tx, clock_).enqueue_email(to, subject, body);
        tx->commit();
    }
    std::vector<store::OutboxMessage> all() {
        auto tx = t_->db->begin(store::TxMode::read);
        return store::AuthRepo(*tx, clock_).list_outbox(100);
    }
    ManualClock clock_{*parse_iso("2026-11-23T09:00:00Z")};
    std::unique_ptr<testsupport::TestDb> t_;
};

TEST_F(Outbox, DeliversOverSmtpAndMarksSent) {
    FakeSmtp smtp;
    enqueue("ada@example.org", "Réinitialisez votre mot de passe", "Bonjour Ada,\n\nVoici le lien.\n");
    jobs::SmtpMailer mailer(
        {"smtp://127.0.0.1:" + std::to_string(smtp.port()), "arrimage@example.org", "", "", std::chrono::seconds(10)});
    EXPECT_EQ(jobs::deliver_outbox(*t_->db, clock_, mailer), 1);
    ASSERT_EQ(smtp.messages.size(), 1u);
    const auto& m = smtp.messages[0];
    EXPECT_NE(m.find("To: ada@example.org\r\n"), std::string::npos);
    EXPECT_NE(m.find("Subject: =?UTF-8?B?"), std::string::npos);  // encoded: it has accents
    EXPECT_NE(m.find("Content-Type: text/plain; charset=UTF-8"), std::string::npos);
    EXPECT_NE(m.find("Bonjour Ada,\r\n\r\nVoici le lien."), std::string::npos);
    EXPECT_NE(smtp.recipients.at(0).find("<ada@example.org>"), std::string::npos);
    EXPECT_FALSE(all().front().sent_at.empty());
    EXPECT_EQ(jobs::deliver_outbox(*t_->db, clock_, mailer), 0);  // nothing left
}

TEST_F(Outbox, FailuresAreRecordedAndRetried) {
    enqueue("ada@example.org", "Subject", "Body");
    // Nothing listens on this port.
    net::io_context ioc;
    tcp::acceptor probe(ioc, {net::ip::make_address("127.0.0.1"), 0});
    const auto port = probe.local_endpoint().port();
    probe.close();
    jobs::SmtpMailer down({"smtp://127.0.0.1:" + std::to_string(port), "arrimage@example.org", "", "", std::chrono::seconds(5)});
    EXPECT_EQ(jobs::deliver_outbox(*t_->db, clock_, down), 0);
    auto m = all().front();
    EXPECT_TRUE(m.sent_at.empty());
    EXPECT_FALSE(m.last_error.empty());
    EXPECT_EQ(m.attempts, 1);
    FakeSmtp smtp;
    jobs::SmtpMailer up(
        {"smtp://127.0.0.1:" + std::to_string(smtp.port()), "arrimage@example.org", "", "", std::chrono::seconds(10)});
    EXPECT_EQ(jobs::deliver_outbox(*t_->db, clock_, up), 1);
    EXPECT_EQ(all().front().attempts, 2);
}

TEST(Email, FormatsHeadersAndLineEndings) {
    store::OutboxMessage m;
    m.id = 7;
    m.to = "ada@example.org";
    m.subject = "Plain subject";
    m.body = "line 1\nline 2";
    m.created_at = "2026-11-23T09:00:00Z";
    const auto text = jobs::format_email(m, "arrimage@example.org", *parse_iso("2026-11-23T09:00:00Z"));
    EXPECT_NE(text.find("Date: Mon, 23 Nov 2026 09:00:00 +0000\r\n"), std::string::npos);
    EXPECT_NE(text.find("Subject: Plain subject\r\n"), std::string::npos);
    EXPECT_NE(text.find("line 1\r\nline 2\r\n"), std::string::npos);
    EXPECT_NE(text.find("@example.org>\r\n"), std::string::npos);
}
