package graph

// MonthIndex is exported for tests.
var MonthIndex = monthIndex
