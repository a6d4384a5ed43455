#include "features/reporting/domain/suppression.hpp"

#include <cstddef>
#include <limits>
#include <optional>
#include <stdexcept>
#include <tuple>

namespace arrimage::domain {

namespace {

using Marks = std::vector<std::vector<Suppression>>;

struct Cell {
    int r = 0, c = 0;
};

int height_of(const Marks& m) {
    return static_cast<int>(m.size());
}
int width_of(const Marks& m) {
    return static_cast<int>(m.front().size());
}

// The graph of hidden cells: rows are nodes 0..height-1, columns nodes height..height+width-1, and
// each hidden cell an edge between its row and its column. The nodes reachable from `start` when
// the edge of `cut` is taken away.
std::vector<bool> reachable(const Marks& marks, int start, Cell cut) {
    const int height = height_of(marks), width = width_of(marks);
    std::vector<bool> seen(static_cast<std::size_t>(height + width), false);
    std::vector<int> todo{start};
    seen[static_cast<std::size_t>(start)] = true;
    while (!todo.empty()) {
        const int node = todo.back();
        todo.pop_back();
        const bool is_row = node < height;
        const int across = is_row ? width : height;
        for (int other = 0; other < across; ++other) {
            const int r = is_row ? node : other;
            const int c = is_row ? other : node - height;
            if (marks[r][c] == Suppression::shown || (r == cut.r && c == cut.c)) continue;
            const int next = is_row ? height + c : r;
            if (seen[static_cast<std::size_t>(next)]) continue;
            seen[static_cast<std::size_t>(next)] = true;
            todo.push_back(next);
        }
    }
    return seen;
}

// The first hidden cell, in row order, that is a bridge: taking it away leaves its row and its
// column apart, so the sums give its value back.
std::optional<Cell> first_bridge(const Marks& marks) {
    const int height = height_of(marks), width = width_of(marks);
    for (int r = 0; r < height; ++r)
        for (int c = 0; c < width; ++c) {
            if (marks[r][c] == Suppression::shown) continue;
            if (!reachable(marks, r, {r, c})[static_cast<std::size_t>(height + c)]) return Cell{r, c};
        }
    return std::nullopt;
}

// The shown cell to hide so that the cycle the bridge lacks is closed, or nearer.
Cell complement_for(const SuppressedTable& t, Cell bridge) {
    const Marks& marks = t.marks;
    const int height = height_of(marks), width = width_of(marks);
    const auto shown = [&](int r, int c) { return marks[r][c] == Suppression::shown; };

    int row_others = 0, column_others = 0;
    for (int c = 0; c < width; ++c)
        if (c != bridge.c && !shown(bridge.r, c)) ++row_others;
    for (int r = 0; r < height; ++r)
        if (r != bridge.r && !shown(r, bridge.c)) ++column_others;

    // A cycle of four: the bridge, a hidden cell in its column (row r2), a hidden cell in its row
    // (column c2), and the shown cell (r2, c2).
    if (row_others > 0 && column_others > 0) {
        std::optional<Cell> best;
        for (int r2 = 0; r2 < height; ++r2) {
            if (r2 == bridge.r || shown(r2, bridge.c)) continue;
            for (int c2 = 0; c2 < width; ++c2) {
                if (c2 == bridge.c || shown(bridge.r, c2) || !shown(r2, c2) || t.values[r2][c2] == 0) continue;
                if (!best || t.values[r2][c2] < t.values[best->r][best->c]) best = Cell{r2, c2};
            }
        }
        if (best) return *best;
    }

    // The two sides of the bridge: a shown cell joining a row of one side to a column of the other
    // closes a cycle through it.
    const std::vector<bool> row_side = reachable(marks, bridge.r, bridge);
    const std::vector<bool> column_side = reachable(marks, height + bridge.c, bridge);
    const auto closes_cycle = [&](int r, int c) {
        const auto rn = static_cast<std::size_t>(r), cn = static_cast<std::size_t>(height + c);
        return (row_side[rn] && column_side[cn]) || (column_side[rn] && row_side[cn]);
    };
    // Smaller is better: a non-zero count, closing a cycle, an inner cell, the smallest count, the
    // first in row order.
    const auto rank = [&](int r, int c) {
        const std::int64_t v = t.values[r][c];
        const bool total = r == height - 1 || c == width - 1;
        return std::make_tuple(v == 0, !closes_cycle(r, c), total, v, r, c);
    };
    const auto best_in = [&](int r_from, int r_to, int c_from, int c_to) {
        std::optional<Cell> best;
        for (int r = r_from; r < r_to; ++r)
            for (int c = c_from; c < c_to; ++c)
                if (shown(r, c) && (!best || rank(r, c) < rank(best->r, best->c))) best = Cell{r, c};
        return best;
    };

    // The line where the bridge is alone is the one that needs a second hidden cell.
    const auto in_row = [&] { return best_in(bridge.r, bridge.r + 1, 0, width); };
    const auto in_column = [&] { return best_in(0, height, bridge.c, bridge.c + 1); };
    const bool row_first = row_others == 0 || column_others > 0;
    if (auto cell = row_first ? in_row() : in_column()) return *cell;
    if (auto cell = row_first ? in_column() : in_row()) return *cell;
    if (auto cell = best_in(0, height, 0, width)) return *cell;
    // A fully hidden grid of at least 2 x 2 is a complete bipartite graph, which has no bridge.
    throw std::logic_error("suppress: a bridge in a fully hidden table");
}

}  // namespace

bool SuppressedTable::hidden(int r, int c) const {
    return marks[r][c] != Suppression::shown;
}

SuppressedTable suppress(const std::vector<std::vector<std::int64_t>>& cells, int threshold) {
    if (threshold < 0) throw std::invalid_argument("suppress: negative threshold");
    if (cells.empty() || cells.front().empty()) throw std::invalid_argument("suppress: empty table");
    const std::size_t width = cells.front().size();
    std::int64_t grand_total = 0;
    for (const auto& row : cells) {
        if (row.size() != width) throw std::invalid_argument("suppress: rows of different lengths");
        for (const std::int64_t v : row) {
            if (v < 0) throw std::invalid_argument("suppress: negative count");
            if (v > std::numeric_limits<std::int64_t>::max() - grand_total)
                throw std::invalid_argument("suppress: grand total too large");
            grand_total += v;
        }
    }

    SuppressedTable t;
    t.rows = static_cast<int>(cells.size());
    t.cols = static_cast<int>(width);
    t.values.assign(cells.size() + 1, std::vector<std::int64_t>(width + 1, 0));
    for (int r = 0; r < t.rows; ++r)
        for (int c = 0; c < t.cols; ++c) {
            const std::int64_t v = cells[r][c];
            t.values[r][c] = v;
            t.values[r][t.cols] += v;
            t.values[t.rows][c] += v;
        }
    t.values[t.rows][t.cols] = grand_total;

    t.marks.assign(cells.size() + 1, std::vector<Suppression>(width + 1, Suppression::shown));
    for (int r = 0; r <= t.rows; ++r)
        for (int c = 0; c <= t.cols; ++c)
            if (t.values[r][c] >= 1 && t.values[r][c] <= threshold) t.marks[r][c] = Suppression::primary;

    while (const auto bridge = first_bridge(t.marks)) {
        const Cell cell = complement_for(t, *bridge);
        t.marks[cell.r][cell.c] = Suppression::complementary;
    }
    return t;
}

}  // namespace arrimage::domain
