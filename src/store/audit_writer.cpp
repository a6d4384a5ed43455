#include "store/audit_writer.hpp"

#include <future>
#include <utility>

namespace arrimage::store {

AuditWriter::AuditWriter(Database& db, const Clock& clock) : db_(db), clock_(clock) {
    thread_ = std::thread([this] { run(); });
}

AuditWriter::~AuditWriter() {
    {
        std::lock_guard lk(m_);
        stopping_ = true;
    }
    cv_.notify_one();
    thread_.join();
}

void AuditWriter::submit(std::vector<AuditEvent> rows, Done done) {
    if (rows.empty()) {
        done(true);
        return;
    }
    {
        std::lock_guard lk(m_);
        queue_.push_back(Item{std::move(rows), std::move(done)});
    }
    cv_.notify_one();
}

bool AuditWriter::write(std::vector<AuditEvent> rows) {
    std::promise<bool> p;
    auto f = p.get_future();
    submit(std::move(rows), [&p](bool durable) { p.set_value(durable); });
    return f.get();
}

AuditWriter::Stats AuditWriter::stats() const {
    std::lock_guard lk(m_);
    return stats_;
}

void AuditWriter::run() {
    std::vector<Item> batch;
    std::vector<AuditEvent> rows;
    for (;;) {
        {
            std::unique_lock lk(m_);
            cv_.wait(lk, [&] { return stopping_ || !queue_.empty(); });
            if (queue_.empty()) return;  // stopping, and everything submitted is committed
            batch.swap(queue_);
        }
        rows.clear();
        for (auto& item : batch) rows.insert(rows.end(), item.rows.begin(), item.rows.end());
        bool durable = false;
        try {
            auto tx = db_.begin(TxMode::write);
            AuditRepo(*tx, clock_).append_all(rows);
            tx->commit();
            durable = true;
        } catch (...) {
            // The requests of this batch answer 503 (and log it); none of their rows was written.
        }
        {
            std::lock_guard lk(m_);
            ++stats_.batches;
            stats_.submissions += static_cast<std::int64_t>(batch.size());
            stats_.rows += static_cast<std::int64_t>(rows.size());
            if (!durable) ++stats_.failed;
        }
        for (auto& item : batch) item.done(durable);
        batch.clear();
    }
}

}  // namespace arrimage::store
