#pragma once
// The library of common tools and forms (docs/NETWORK.md "The library of common tools and
// forms"): the forms, guides, checklists, assessment tools and templates the coordinating agency
// keeps for its area, each with a French and an English file. Some are mandatory: every provider
// of the area must use the current version, and each provider's manager confirms that their
// organisation does (its adoption). Pure: no I/O.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace arrimage::domain {

// `template_` is stored and posted as "template".
enum class ToolKind : std::uint8_t { form, guide, checklist, assessment_tool, template_, other };
const std::vector<ToolKind>& all_tool_kinds();
std::string_view code(ToolKind k);
std::optional<ToolKind> parse_tool_kind(std::string_view s);

inline constexpr std::size_t max_tool_title_length = 200;
inline constexpr std::size_t max_tool_description_length = 4000;
inline constexpr std::size_t max_tool_version_label_length = 20;

// As posted.
struct ToolForm {
    std::string title_fr, title_en;
    std::string description_fr, description_en;  // multi-line, optional
    std::string kind;                            // a ToolKind code
    std::string mandatory;                       // "1": every provider of the area must use it
    std::string version_label;                   // "2026-1": the current version's label
};
struct ToolTerms {
    std::string title_fr, title_en;
    std::string description_fr, description_en;
    ToolKind kind = ToolKind::other;
    bool mandatory = false;
    std::string version_label;
};
// Field errors or `out` filled: both titles (one line, up to 200 characters: "field.required",
// "field.too_long", "field.invalid_text"); descriptions up to 4,000 characters
// ("field.too_long"); a known kind ("field.required", "field.choose_from_list"); the version
// label (one line, up to 20 characters: "field.required", "field.too_long"). Mandatory is
// "1" or not mandatory.
std::vector<FieldError> validate(const ToolForm& in, ToolTerms& out);

// Where a provider stands on one mandatory tool:
//   adopted_current  it has confirmed that it uses the current version
//   adopted_older    it confirmed an earlier version, not yet the current one
//   not_adopted      it has confirmed no version
enum class AdoptionStanding : std::uint8_t { adopted_current, adopted_older, not_adopted };
const std::vector<AdoptionStanding>& all_adoption_standings();
std::string_view code(AdoptionStanding s);
std::optional<AdoptionStanding> parse_adoption_standing(std::string_view s);
// From the version labels the provider has adopted (any order, any number) and the tool's
// current label: labels are compared exactly, so a tool given back an earlier label finds the
// adoptions of that label current again.
AdoptionStanding adoption_standing(const std::vector<std::string>& adopted_labels, std::string_view current_label);

// The library's filter, as its query parameters: each optional.
struct ToolQuery {
    std::string kind;       // a ToolKind code, "" for any
    std::string mandatory;  // "1" mandatory only, "0" optional only, "" both
    std::string retired;    // "1": retired tools too
};
struct ToolFilter {
    std::optional<ToolKind> kind;
    std::optional<bool> mandatory;
    bool include_retired = false;
};
// Field errors ("field.choose_from_list" on "kind", "mandatory" or "retired") or `out` filled.
std::vector<FieldError> validate(const ToolQuery& in, ToolFilter& out);

}  // namespace arrimage::domain
