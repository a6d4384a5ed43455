#include "web/pdf.hpp"

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>

#include <memory>
#include <stdexcept>

// Fontconfig keeps its configuration and font patterns for the life of the process and frees
// none of it at exit; LeakSanitizer (the sanitizer build of `make test`) would report that as a
// leak of every process that printed a document. Only its allocations are excused.
extern "C" const char* __lsan_default_suppressions() {
    return "leak:libfontconfig.so\n";
}

namespace arrimage::web {

namespace {

// US Letter, in points, with one-inch margins; the footer sits in the bottom margin.
constexpr double page_width = 612, page_height = 792, margin = 72;
constexpr double text_width = page_width - 2 * margin, bottom = page_height - margin;

struct Style {
    const char* font;
    double space_before, space_after;
    const char* tag;  // the block's structure element
};

Style style_of(PdfBlock::Kind k, bool title) {
    if (title) return {"DejaVu Sans Bold 17", 0, 14, "H1"};
    switch (k) {
        case PdfBlock::Kind::heading:
            return {"DejaVu Sans Bold 12.5", 10, 4, "H2"};
        case PdfBlock::Kind::small:
            return {"DejaVu Sans 8.5", 4, 4, "P"};
        case PdfBlock::Kind::paragraph:
            break;
    }
    return {"DejaVu Sans 10.5", 0, 8, "P"};
}

template <class T, void (*F)(T*)>
struct Deleter {
    void operator()(T* p) const { F(p); }
};
using Surface = std::unique_ptr<cairo_surface_t, Deleter<cairo_surface_t, cairo_surface_destroy>>;
using Context = std::unique_ptr<cairo_t, Deleter<cairo_t, cairo_destroy>>;
using FontDesc = std::unique_ptr<PangoFontDescription, Deleter<PangoFontDescription, pango_font_description_free>>;

struct LayoutDeleter {
    void operator()(PangoLayout* p) const { g_object_unref(p); }
};
using Layout = std::unique_ptr<PangoLayout, LayoutDeleter>;

cairo_status_t append(void* closure, const unsigned char* data, unsigned int length) {
    static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
    return CAIRO_STATUS_SUCCESS;
}

Layout layout_for(cairo_t* cr, Lang lang, const std::string& text, const char* font, double width) {
    Layout layout(pango_cairo_create_layout(cr));
    // The language chooses line breaking and shaping rules (French spacing, ligatures).
    pango_context_set_language(pango_layout_get_context(layout.get()),
                               pango_language_from_string(lang == Lang::fr ? "fr-ca" : "en-ca"));
    pango_layout_context_changed(layout.get());
    const FontDesc desc(pango_font_description_from_string(font));
    pango_layout_set_font_description(layout.get(), desc.get());
    pango_layout_set_width(layout.get(), static_cast<int>(width * PANGO_SCALE));
    pango_layout_set_wrap(layout.get(), PANGO_WRAP_WORD_CHAR);
    pango_layout_set_text(layout.get(), text.data(), static_cast<int>(text.size()));
    return layout;
}

// Lays the document out, line by line, breaking pages where a line would cross the bottom
// margin. With `draw` false it only counts the pages (the footer says "n / N").
int lay_out(cairo_t* cr, const PdfDocument& doc, bool draw, int pages_total) {
    int page = 1;
    double y = margin;
    const auto footer = [&] {
        if (!draw) return;
        const std::string text = (doc.footer.empty() ? std::string() : doc.footer + "    ") + std::to_string(page) + " / " +
                                 std::to_string(pages_total);
        const auto layout = layout_for(cr, doc.lang, text, "DejaVu Sans 8", text_width);
        cairo_move_to(cr, margin, bottom + 24);
        pango_cairo_show_layout(cr, layout.get());
    };
    const auto new_page = [&] {
        footer();
        if (draw) cairo_show_page(cr);
        ++page;
        y = margin;
    };
    std::vector<PdfBlock> blocks;
    blocks.push_back({PdfBlock::Kind::heading, doc.title});
    blocks.insert(blocks.end(), doc.blocks.begin(), doc.blocks.end());
    for (std::size_t b = 0; b < blocks.size(); ++b) {
        const Style s = style_of(blocks[b].kind, b == 0);
        // A heading is kept with the first lines of what follows it.
        if (blocks[b].kind == PdfBlock::Kind::heading && b > 0 && y + 60 > bottom) new_page();
        if (y > margin) y += s.space_before;
        const auto layout = layout_for(cr, doc.lang, blocks[b].text.empty() ? " " : blocks[b].text, s.font, text_width);
        if (draw) cairo_tag_begin(cr, s.tag, "");
        PangoLayoutIter* it = pango_layout_get_iter(layout.get());
        do {
            int y0 = 0, y1 = 0;
            pango_layout_iter_get_line_yrange(it, &y0, &y1);
            const double h = static_cast<double>(y1 - y0) / PANGO_SCALE;
            if (y + h > bottom && y > margin) new_page();
            if (draw) {
                const double baseline = static_cast<double>(pango_layout_iter_get_baseline(it) - y0) / PANGO_SCALE;
                cairo_move_to(cr, margin, y + baseline);
                pango_cairo_show_layout_line(cr, pango_layout_iter_get_line_readonly(it));
            }
            y += h;
        } while (pango_layout_iter_next_line(it));
        pango_layout_iter_free(it);
        if (draw) cairo_tag_end(cr, s.tag);
        y += s.space_after;
    }
    footer();
    return page;
}

}  // namespace

std::string render_pdf(const PdfDocument& doc) {
    std::string out;
    {
        // Count the pages on a surface that is thrown away, then draw on the real one.
        const Surface counting(cairo_pdf_surface_create_for_stream(nullptr, nullptr, page_width, page_height));
        const Context cc(cairo_create(counting.get()));
        const int pages = lay_out(cc.get(), doc, false, 0);

        const Surface surface(cairo_pdf_surface_create_for_stream(append, &out, page_width, page_height));
        cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_TITLE, doc.title.c_str());
        cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATOR, "Arrimage");
        const Context cr(cairo_create(surface.get()));
        cairo_set_source_rgb(cr.get(), 0.1, 0.1, 0.1);
        lay_out(cr.get(), doc, true, pages);
        cairo_surface_finish(surface.get());
        if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS)
            throw std::runtime_error(std::string("pdf: ") + cairo_status_to_string(cairo_surface_status(surface.get())));
    }
    return out;
}

nlohmann::json printable_blocks(const PdfDocument& doc) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& b : doc.blocks)
        out.push_back(
            {{"text", b.text}, {"heading", b.kind == PdfBlock::Kind::heading}, {"small", b.kind == PdfBlock::Kind::small}});
    return out;
}

}  // namespace arrimage::web
