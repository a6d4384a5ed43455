#pragma once
// Small-cell suppression of a table of the quarterly ministry report: a grid of counts (children,
// referrals, plans, by one thing down and another across), published with its row totals, its
// column totals and its grand total. Pure: no I/O.
//
// The area's rule: a count from 1 to the threshold (4 unless the area sets another) is hidden,
// since so few children could be recognised (primary suppression); zero is shown, and a threshold
// of 0 hides nothing. Hiding the small counts is not enough once the totals are published: a row
// with a single hidden cell gives it back by subtraction. So more cells are hidden (complementary
// suppression) until no hidden cell can be recomputed from the shown cells and the table's sums.
//
// Why that is a question about a graph. The table with its totals is an (rows+1) x (cols+1) grid:
// row `rows` is the totals row, column `cols` the totals column, their cell the grand total. Each
// row and each column of the grid says that its other cells add up to its total cell. Take each
// row and each column as a node and each cell as an edge between its row and its column: a
// bipartite graph. Changing the sign of the total cells (all but the grand total) and of the two
// total equations, every equation reads "the cells of this node add up to zero": the unsigned
// incidence matrix of the graph. Restricted to the hidden cells, the values the equations leave
// free are the combinations of the cycles of the graph of hidden cells (even, the graph being
// bipartite), adding and taking away the same amount in turn around a cycle. So a hidden cell
// can be recomputed exactly when no cycle goes through it: when it is a bridge of that graph.
//
// The method: hide the small counts; then, while some hidden cell is a bridge (the first in row
// order), hide one more shown cell that closes, or goes towards, a cycle through it:
//   - when its row and its column both have other hidden cells, the shown cell at the crossing of
//     a row hidden in its column and a column hidden in its row (a cycle of four), the smallest
//     non-zero count first;
//   - otherwise a shown cell in the line (row or column) where the bridge is the only hidden cell,
//     or else in the other line: one that closes a cycle first, then an inner cell before a total,
//     then the smallest count; zero only when the line shows nothing else;
//   - when neither line shows a cell, the same choice over the whole grid.
// Each step hides one cell and a fully hidden grid (at least 2 x 2) has no bridge, so it ends; the
// same table always gives the same hidden cells.
//
// What it does not protect against: the equations alone fix no hidden cell, but counts are never
// negative, so a cycle whose smallest count is low narrows the others to a range; and two tables
// sharing a margin (the same counts by quarter and by year) can be taken from each other. Tables
// published together are the report's to suppress together.
#include <cstdint>
#include <vector>

namespace arrimage::domain {

enum class Suppression : std::uint8_t { shown, primary, complementary };

struct SuppressedTable {
    int rows = 0, cols = 0;  // the inner size, without the totals
    // (rows+1) x (cols+1), totals included: every value, a hidden one as well (never to be shown).
    std::vector<std::vector<std::int64_t>> values;
    std::vector<std::vector<Suppression>> marks;  // (rows+1) x (cols+1)
    bool hidden(int r, int c) const;
};

// The table with its totals and what to hide. `cells` must have at least one row, every row the
// same number of cells (at least one), no count negative, a grand total that fits, and the
// threshold must not be negative: anything else is a defect of the caller (std::invalid_argument).
SuppressedTable suppress(const std::vector<std::vector<std::int64_t>>& cells, int threshold = 4);

}  // namespace arrimage::domain
