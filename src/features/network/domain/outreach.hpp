#pragma once
// Outreach and knowledge sharing (docs/NETWORK.md "Outreach and knowledge sharing"): what the
// coordinating agency and its providers did to make the network known and to share what they
// know: information sessions for families, presentations to the agencies that refer (schools,
// physicians, hospitals, child welfare), community events, webinars, communities of practice,
// newsletters and publications. Each activity is logged once, in the language it was given in.
// Pure: no I/O.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/time.hpp"

namespace arrimage::domain {

enum class OutreachKind : std::uint8_t {
    family_session,         // an information session for families
    referrer_presentation,  // a presentation to agencies that refer (schools, physicians, hospitals, child welfare)
    community_event,        // a stand or a talk at a community event
    webinar,
    community_of_practice,  // a meeting of a community of practice
    publication,            // a newsletter, an article, a leaflet
    other,
};
const std::vector<OutreachKind>& all_outreach_kinds();
std::string_view code(OutreachKind k);
std::optional<OutreachKind> parse_outreach_kind(std::string_view s);

// Whom it reached: one or more.
enum class OutreachAudience : std::uint8_t { families, referring_agencies, schools, health, community, providers };
const std::vector<OutreachAudience>& all_outreach_audiences();
std::string_view code(OutreachAudience a);
std::optional<OutreachAudience> parse_outreach_audience(std::string_view s);

// The language it was given in, which its title and summary are written in.
enum class OutreachLanguage : std::uint8_t { fr, en, both };
const std::vector<OutreachLanguage>& all_outreach_languages();
std::string_view code(OutreachLanguage l);
std::optional<OutreachLanguage> parse_outreach_language(std::string_view s);

inline constexpr std::size_t max_outreach_title_length = 200;
inline constexpr std::size_t max_outreach_summary_length = 4000;
inline constexpr std::size_t max_outreach_follow_up_length = 2000;
inline constexpr int max_people_reached = 100000;
inline constexpr int max_outreach_organisations = 40;

// As posted.
struct OutreachForm {
    std::string kind;                        // an OutreachKind code
    std::vector<std::string> audiences;      // OutreachAudience codes, one or more
    std::string title;                       // one line
    std::string language;                    // an OutreachLanguage code
    std::string held_on;                     // YYYY-MM-DD (a publication: the day it came out)
    std::string people_reached;              // "" (not counted) or 0..100000
    std::vector<std::string> organisations;  // organisation ids: those involved, the recorder's own among them
    std::string summary;                     // multi-line
    std::string follow_up;                   // multi-line, optional
};
struct OutreachTerms {
    OutreachKind kind = OutreachKind::family_session;
    std::vector<OutreachAudience> audiences;  // each once, in all_outreach_audiences() order
    std::string title;
    OutreachLanguage language = OutreachLanguage::both;
    Date held_on;
    std::optional<int> people_reached;        // none: not counted
    std::vector<std::int64_t> organisations;  // each once, ascending
    std::string summary, follow_up;
};
// Field errors or `out` filled:
//   kind            "field.required", "field.choose_from_list"
//   audiences       at least one ("network.outreach.audience_required"), each known
//                   ("field.choose_from_list"), duplicates merged
//   title           one line, up to 200 characters ("field.required", "field.too_long", "field.invalid_text")
//   language        "field.required", "field.choose_from_list"
//   held_on         a real date ("field.required", "people.invalid_date"), not after `today`
//                   ("network.outreach.held_in_future")
//   people_reached  empty, or a whole number from 0 to 100,000 written in digits
//                   ("network.outreach.people_reached_invalid")
//   organisations   positive ids ("field.choose_from_list"), duplicates merged, at least one
//                   ("network.outreach.organisations_required"), at most 40
//                   ("network.outreach.too_many_organisations")
//   summary         up to 4,000 characters ("field.required", "field.too_long")
//   follow_up       optional, up to 2,000 characters ("field.too_long")
// Which organisations exist, and whether the recorder's own is among them, is the store's to say.
std::vector<FieldError> validate(const OutreachForm& in, const Date& today, OutreachTerms& out);

// The log's filters, as query parameters: each optional.
struct OutreachQuery {
    std::string from, to;  // YYYY-MM-DD, both days included
    std::string kind, audience, organisation;
};
struct OutreachFilter {
    std::optional<Date> from, to;
    std::optional<OutreachKind> kind;
    std::optional<OutreachAudience> audience;
    std::optional<std::int64_t> organisation;
};
// Field errors ("people.invalid_date" on "from" or "to"; "network.outreach.range_reversed" on
// "to" when it is before "from"; "field.choose_from_list" on "kind", "audience" or
// "organisation" for a value not in its list) or `out` filled. Whether the organisation is one
// the reader may filter by is the store's to say.
std::vector<FieldError> validate(const OutreachQuery& in, OutreachFilter& out);

}  // namespace arrimage::domain
