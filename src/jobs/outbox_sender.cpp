#include "jobs/outbox_sender.hpp"

#include <curl/curl.h>
#include <spdlog/spdlog.h>

#include <cstring>
#include <ctime>

#include "core/text.hpp"

namespace arrimage::jobs {

namespace {

std::string rfc2047(const std::string& s) {
    bool ascii = true;
    for (unsigned char c : s)
        if (c >= 0x80 || c < 0x20) ascii = false;
    if (ascii) return s;
    // base64 (standard alphabet) of the UTF-8 bytes
    static constexpr char table[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string b64;
    std::size_t i = 0;
    for (; i + 2 < s.size(); i += 3) {
        const unsigned v = (static_cast<unsigned char>(s[i]) << 16) | (static_cast<unsigned char>(s[i + 1]) << 8) |
                           static_cast<unsigned char>(s[i + 2]);
        b64 += {table[v >> 18], table[(v >> 12) & 63], table[(v >> 6) & 63], table[v & 63]};
    }
    if (i + 1 == s.size()) {
        const unsigned v = static_cast<unsigned char>(s[i]) << 16;
        b64 += {table[v >> 18], table[(v >> 12) & 63], '=', '='};
    } else if (i + 2 == s.size()) {
        const unsigned v = (static_cast<unsigned char>(s[i]) << 16) | (static_cast<unsigned char>(s[i + 1]) << 8);
        b64 += {table[v >> 18], table[(v >> 12) & 63], table[(v >> 6) & 63], '='};
    }
    return "=?UTF-8?B?" + b64 + "?=";
}

std::string crlf(const std::string& text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\n' && (i == 0 || text[i - 1] != '\r'))
            out += "\r\n";
        else
            out.push_back(text[i]);
    }
    return out;
}

struct Payload {
    std::string data;
    std::size_t pos = 0;
};

std::size_t read_payload(char* buf, std::size_t size, std::size_t n, void* user) {
    auto* p = static_cast<Payload*>(user);
    const std::size_t len = std::min(size * n, p->data.size() - p->pos);
    std::memcpy(buf, p->data.data() + p->pos, len);
    p->pos += len;
    return len;
}

}  // namespace

std::string format_email(const store::OutboxMessage& m, const std::string& from, TimePoint date) {
    char when[64];
    const std::time_t t = std::chrono::system_clock::to_time_t(date);
    std::tm tm{};
    gmtime_r(&t, &tm);
    std::strftime(when, sizeof when, "%a, %d %b %Y %H:%M:%S +0000", &tm);
    const auto at = from.find('@');
    const std::string domain = at == std::string::npos ? "localhost" : from.substr(at + 1);
    std::string out;
    out += "Date: " + std::string(when) + "\r\n";
    out += "From: " + from + "\r\n";
    out += "To: " + m.to + "\r\n";
    out += "Subject: " + rfc2047(m.subject) + "\r\n";
    out += "Message-ID: <outbox-" + std::to_string(m.id) + "." + hash_token(m.created_at + m.to).substr(0, 16) + "@" + domain +
           ">\r\n";
    out += "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n";
    // libcurl escapes lines that start with '.' (SMTP transparency) as it sends.
    out += crlf(m.body) + "\r\n";
    return out;
}

SmtpMailer::SmtpMailer(SmtpSettings s) : s_(std::move(s)) {
    curl_global_init(CURL_GLOBAL_DEFAULT);
}

std::optional<std::string> SmtpMailer::send(const store::OutboxMessage& m) {
    CURL* curl = curl_easy_init();
    if (!curl) return "libcurl initialisation failed";
    Payload payload{format_email(m, s_.from, std::chrono::system_clock::now())};
    curl_slist* rcpt = curl_slist_append(nullptr, ("<" + m.to + ">").c_str());
    curl_easy_setopt(curl, CURLOPT_URL, s_.url.c_str());
    curl_easy_setopt(curl, CURLOPT_MAIL_FROM, ("<" + s_.from + ">").c_str());
    curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, rcpt);
    curl_easy_setopt(curl, CURLOPT_READFUNCTION, read_payload);
    curl_easy_setopt(curl, CURLOPT_READDATA, &payload);
    curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(curl, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_TRY));
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, static_cast<long>(s_.timeout.count()));
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    if (!s_.username.empty()) {
        curl_easy_setopt(curl, CURLOPT_USERNAME, s_.username.c_str());
        curl_easy_setopt(curl, CURLOPT_PASSWORD, s_.password.c_str());
    }
    const CURLcode rc = curl_easy_perform(curl);
    curl_slist_free_all(rcpt);
    curl_easy_cleanup(curl);
    if (rc != CURLE_OK) return std::string(curl_easy_strerror(rc));
    return std::nullopt;
}

int deliver_outbox(store::Database& db, const Clock& clock, Mailer& mailer, int batch) {
    std::vector<store::OutboxMessage> pending;
    {
        auto tx = db.begin(store::TxMode::read);
        pending = store::AuthRepo(*tx, clock).unsent_email(batch);
        tx->commit();
    }
    int sent = 0;
    for (const auto& m : pending) {
        const auto error = mailer.send(m);
        auto tx = db.begin(store::TxMode::write);
        store::AuthRepo repo(*tx, clock);
        if (error) {
            repo.mark_failed(m.id, *error);
            // The message id only: addresses are personal information and stay out of logs.
            spdlog::warn(R"({{"msg":"email not sent","outbox_id":{}}})", m.id);
        } else {
            repo.mark_sent(m.id);
            ++sent;
        }
        tx->commit();
    }
    return sent;
}

}  // namespace arrimage::jobs
