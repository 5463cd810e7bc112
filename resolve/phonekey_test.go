package resolve

import "testing"

func TestPhoneticKey(t *testing.T) {
	same := [][2]string{
		{"Dupont", "Dupond"}, {"Renaud", "Reno"}, {"Lefèvre", "Lefebvre"},
		{"Cristina", "Kristina"}, {"Felipe", "Pilipe"}, {"Javier", "Habier"},
		{"Thibault", "Tibo"}, {"Rousseau", "Russo"}, {"Gonzales", "Gonzalez"},
		{"Villanueva", "Bilanueba"}, {"Quintos", "Kintos"}, {"Catherine", "Katherine"},
		{"Smith", "Smyth"}, {"Jesus", "Hesus"},
	}
	for _, p := range same {
		if a, b := PhoneticKey(p[0]), PhoneticKey(p[1]); a != b {
			t.Errorf("PhoneticKey(%q) = %q, PhoneticKey(%q) = %q; want equal", p[0], a, p[1], b)
		}
	}
	differ := [][2]string{{"Dupont", "Durand"}, {"Santos", "Reyes"}, {"Martin", "Moreau"}, {"Cruz", "Garcia"}}
	for _, p := range differ {
		if a, b := PhoneticKey(p[0]), PhoneticKey(p[1]); a == b {
			t.Errorf("PhoneticKey(%q) = PhoneticKey(%q) = %q; want different", p[0], p[1], a)
		}
	}
}
