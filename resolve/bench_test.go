package resolve

import (
	"testing"

	"github.com/vigilfiu/vigil"
)

func BenchmarkCompare(b *testing.B) {
	x := prepare(&Record{Name: "LEFEVRE Francois", BirthDate: vigil.Date{Year: 1975, Month: 12, Day: 3}, City: "Paris", Phone: "0612345678"})
	y := prepare(&Record{Name: "François Lefèbvre", BirthDate: vigil.Date{Year: 1975, Month: 3, Day: 12}, City: "Paris", Phone: "+33612345678"})
	vec := make([]int8, len(fields))
	b.ReportAllocs()
	for b.Loop() {
		compareInto(&x, &y, vec)
	}
}

func BenchmarkPrepare(b *testing.B) {
	r := Record{Name: "Ma. Teresa DELA CRUZ", BirthDate: vigil.Date{Year: 1975, Month: 12, Day: 3}, City: "Quezon City", Phone: "0917 123 4567", Email: "Teresa.DelaCruz+x@gmail.com"}
	b.ReportAllocs()
	for b.Loop() {
		_ = prepare(&r)
	}
}
