#pragma once
// Lifecycles as tables. Each row is one transition: from a state, on an event, to a state,
// who may fire it (their relationship to the record, as the policy decision point knows it)
// and the guard that must hold (a named predicate over the record's facts). A state and event
// pair not in the table cannot happen; everything a record can go through is read off its
// table, rendered in the docs (`markdown`) and tested row by row.
//
// The store writes a status only through store::fire_transition (store/transitions.hpp): the
// table says whether a move is allowed, then a compare-and-set on the expected `from`, with
// the event row in the same transaction, that the record is still where the user saw it.
// Pure: no I/O.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "domain/privacy.hpp"

namespace arrimage::domain {

template <typename State, typename Event, typename Facts>
struct Transition {
    State from;
    Event event;
    State to;
    std::vector<Relationship> who;  // relationships to the record that may fire it
    // The guard: a predicate over the record's facts (nullptr: none), what it asks in a few
    // words (for the docs), and the catalogue key of the message when it does not hold.
    bool (*guard)(const Facts&) = nullptr;
    std::string_view guard_text;
    std::string_view refused_key;
};

template <typename State, typename Event, typename Facts>
class Lifecycle {
  public:
    using Row = Transition<State, Event, Facts>;
    using StateCode = std::string_view (*)(State);
    using EventCode = std::string_view (*)(Event);

    Lifecycle(std::string_view name, std::vector<Row> rows, StateCode state_code, EventCode event_code)
        : name_(name), rows_(std::move(rows)), state_code_(state_code), event_code_(event_code) {}

    std::string_view name() const { return name_; }
    const std::vector<Row>& rows() const { return rows_; }

    std::string_view state_code(State s) const { return state_code_(s); }
    std::string_view event_code(Event e) const { return event_code_(e); }

    // The row for (from, event), or nullptr.
    const Row* find(State from, Event event) const {
        for (const auto& r : rows_)
            if (r.from == from && r.event == event) return &r;
        return nullptr;
    }

    // Whether someone of relationship `who` may fire `event` on a record in state `from` with
    // these facts: the row, or Conflict "lifecycle.not_from_state" (no such move from there:
    // the record has moved on since the page was shown), Forbidden (not theirs to fire), or
    // Conflict with the guard's message.
    Result<const Row*> fire(State from, Event event, Relationship who, const Facts& facts) const {
        const Row* r = find(from, event);
        if (!r) return Error::conflict("lifecycle.not_from_state");
        bool allowed = false;
        for (auto w : r->who) allowed = allowed || w == who;
        if (!allowed) return Error::forbidden();
        if (r->guard && !r->guard(facts)) return Error::conflict(std::string(r->refused_key));
        return r;
    }

    // The event that moves a record from `from` to `to`, if the table has one (a form that names
    // the state wanted rather than the event).
    std::optional<Event> event_to(State from, State to) const {
        for (const auto& r : rows_)
            if (r.from == from && r.to == to) return r.event;
        return std::nullopt;
    }

    // The events `who` may fire from `from` now (the buttons a page offers).
    std::vector<Event> available(State from, Relationship who, const Facts& facts) const {
        std::vector<Event> out;
        for (const auto& r : rows_)
            if (r.from == from && fire(from, r.event, who, facts)) out.push_back(r.event);
        return out;
    }

    // The table as Markdown: | from | event | to | who may | guard |.
    std::string markdown() const {
        std::string out = "| from | event | to | who may | guard |\n|---|---|---|---|---|\n";
        for (const auto& r : rows_) {
            std::string who;
            for (auto w : r.who) who += (who.empty() ? "" : ", ") + std::string(code(w));
            out += "| `" + std::string(state_code_(r.from)) + "` | `" + std::string(event_code_(r.event)) + "` | `" +
                   std::string(state_code_(r.to)) + "` | " + who + " | " +
                   (r.guard_text.empty() ? "—" : std::string(r.guard_text)) + " |\n";
        }
        return out;
    }

  private:
    std::string_view name_;
    std::vector<Row> rows_;
    StateCode state_code_;
    EventCode event_code_;
};

}  // namespace arrimage::domain
