#pragma once
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <vector>

namespace arrimage::store {

// A fixed set of connections handed out one at a time; acquire() waits for a free one.
template <typename Conn>
class Pool {
  public:
    void add(std::unique_ptr<Conn> c) {
        std::lock_guard lk(m_);
        all_.push_back(std::move(c));
        free_.push_back(all_.back().get());
    }
    Conn* acquire() {
        std::unique_lock lk(m_);
        cv_.wait(lk, [&] { return !free_.empty(); });
        return take();
    }
    // nullptr when none came free within `wait`.
    Conn* acquire_for(std::chrono::milliseconds wait) {
        std::unique_lock lk(m_);
        if (!cv_.wait_for(lk, wait, [&] { return !free_.empty(); })) return nullptr;
        return take();
    }
    void release(Conn* c) {
        {
            std::lock_guard lk(m_);
            free_.push_back(c);
        }
        cv_.notify_one();
    }
    // Waits until every connection is back, then destroys them all.
    void drain() {
        std::unique_lock lk(m_);
        cv_.wait(lk, [&] { return free_.size() == all_.size(); });
        free_.clear();
        all_.clear();
    }

  private:
    Conn* take() {
        Conn* c = free_.back();
        free_.pop_back();
        return c;
    }
    std::mutex m_;
    std::condition_variable cv_;
    std::vector<std::unique_ptr<Conn>> all_;
    std::vector<Conn*> free_;
};

}  // namespace arrimage::store
