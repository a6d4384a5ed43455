#pragma once
// Printable documents as PDF (letters to families today; the access report and the ministry's
// reports later): a title and a sequence of blocks laid out on Letter-size pages with Pango and
// Cairo (Debian's libpango1.0 and libcairo2), in the DejaVu Sans face (fonts-dejavu-core), so
// every French and English character prints. Its title is in the file's metadata, and each block
// is a structure element (H1, H2, P) of the document's structure tree, in reading order; the
// language chooses Pango's line-breaking rules (Cairo 1.16 writes no document language). Text is
// plain text, never markup: what a user typed prints as typed.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/i18n.hpp"

namespace arrimage::web {

struct PdfBlock {
    enum class Kind { heading, paragraph, small };
    Kind kind = Kind::paragraph;
    std::string text;  // line breaks kept
};

struct PdfDocument {
    std::string title;  // the first heading, and the file's metadata title
    Lang lang = Lang::en;
    std::vector<PdfBlock> blocks;
    std::string footer;  // printed at the foot of every page, beside "n / N"
};

// The document's blocks for the page that prints it (templates: {{#blocks}} with text, heading,
// small), so the printed page and the PDF are made of the same blocks.
nlohmann::json printable_blocks(const PdfDocument& doc);

// The document as the bytes of a PDF file. Throws std::runtime_error should Cairo fail (out of
// memory): the pipeline answers 500 and nothing was changed by a read.
std::string render_pdf(const PdfDocument& doc);

}  // namespace arrimage::web
