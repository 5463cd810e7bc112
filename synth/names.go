package synth

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// origin is the naming tradition a synthetic person's name is drawn from.
// It is used for generation only and never written to the output.
type origin uint8

const (
	originEN origin = iota // Anglo-Australian, British, Irish
	originPH               // Filipino
	originVN               // Vietnamese
	originIN               // Indian
	originPL               // Polish
	originNG               // Nigerian
	originFR               // French
	originDE               // German
	originGH               // Ghanaian (romance-scam recipients only)
	originCO               // Colombian / Latin American (webcam performers)
	originRO               // Romanian (webcam performers)
	originTH               // Thai and other South-East Asian corridors
	nOrigins
)

// nameList holds the synthetic name material of one origin. The lists are
// common given names and surnames; no combination refers to a real person.
type nameList struct {
	male, female, surnames []string
	middleM, middleF       []string // optional middle names
	femaleSurname          func(string) string
	country                string // home country, ISO 3166-1 alpha-2
}

var names = [nOrigins]nameList{
	originEN: {
		male: []string{"John", "David", "Peter", "Michael", "Paul", "Mark", "Robert", "James", "Stephen", "Andrew",
			"Gregory", "Anthony", "Christopher", "William", "Richard", "Brian", "Wayne", "Darren", "Craig", "Graham",
			"Kevin", "Geoffrey", "Ian", "Trevor", "Neil", "Barry", "Daniel", "Matthew", "Joshua", "Thomas", "Russell",
			"Kenneth", "Gary", "Dennis", "Raymond", "Phillip", "Glenn", "Shane", "Luke", "Benjamin"},
		female: []string{"Susan", "Karen", "Linda", "Margaret", "Jennifer", "Michelle", "Sarah", "Emma", "Jessica", "Lisa",
			"Kylie", "Deborah", "Julie", "Helen", "Patricia", "Christine", "Sharon", "Emily", "Chloe", "Olivia",
			"Elizabeth", "Catherine", "Rebecca", "Nicole", "Wendy", "Janet", "Barbara", "Anne", "Joanne", "Tracey"},
		surnames: []string{"Smith", "Jones", "Williams", "Brown", "Wilson", "Taylor", "Johnson", "White", "Martin", "Anderson",
			"Thompson", "Walker", "Harris", "Lee", "Ryan", "Robinson", "Kelly", "King", "Davis", "Wright", "Evans",
			"Roberts", "Green", "Hall", "Wood", "Jackson", "Clarke", "Hughes", "Edwards", "Mitchell", "Campbell",
			"O'Brien", "O'Connor", "McDonald", "Murphy", "Stewart", "Cooper", "Baker", "Morris", "Turner", "Bennett",
			"Fitzgerald", "Hayes", "Sullivan", "Gallagher", "Pearce", "Whitfield", "Ashworth", "Blackwood", "Thornton",
			"Kowalczyk", "Papadopoulos", "Rossi", "Costa", "Nikolaidis", "Vukovic", "Jovanovic", "Horvath"},
		middleM: []string{"James", "John", "Edward", "Alan", "Lee", "Michael", "Robert", "George", "Charles", "Arthur"},
		middleF: []string{"Anne", "Louise", "Marie", "Jane", "Elizabeth", "Rose", "Maree", "Lee", "Kate", "May"},
		country: "AU",
	},
	originPH: {
		male: []string{"Jose", "Juan", "Rodel", "Arnel", "Jonathan", "Ramon", "Danilo", "Rolando", "Mark Anthony", "John Paul",
			"Jerome", "Reynaldo", "Romeo", "Noel", "Ariel", "Edgardo", "Francisco", "Jun", "Ricardo", "Rommel",
			"Jayson", "Christian", "Alvin", "Ronaldo", "Eduardo", "Benjie", "Renato", "Manuel"},
		female: []string{"Maria", "Maria Cristina", "Maria Theresa", "Maria Luisa", "Jocelyn", "Marites", "Rowena", "Lorna",
			"Analyn", "Jennifer", "Rosalie", "Mary Jane", "Gemma", "Liza", "Divina", "Erlinda", "Rhea", "Kristine",
			"Joy", "Lovely", "Princess", "Angelica", "Maricel", "Evangeline", "Girlie", "Rachelle", "Charmaine", "Josephine"},
		surnames: []string{"Santos", "Reyes", "Cruz", "Bautista", "Ocampo", "Garcia", "Mendoza", "Torres", "Tomas", "Andrada",
			"Castillo", "Flores", "Villanueva", "Ramos", "Castro", "Rivera", "Aquino", "Navarro", "Salazar", "Mercado",
			"dela Cruz", "de los Santos", "Dizon", "Manalo", "Pascual", "Gonzales", "Lopez", "Aguilar", "Soriano",
			"Domingo", "Samonte", "Macaraeg", "Dimaculangan", "Panganiban", "Lacson", "Tolentino", "Santiago",
			"del Rosario", "de Guzman", "delos Reyes", "Magbanua", "Evangelista", "Sarmiento", "Villareal", "Buenaventura",
			"Catapang", "Dumalagan", "Quisumbing", "Sison", "Valdez", "Espiritu", "Lim", "Tan", "Ong", "Yap"},
		middleM: []string{"Reyes", "Santos", "Cruz", "Garcia", "Mendoza", "Ramos", "Flores", "Bautista", "Aquino", "Castro"},
		middleF: []string{"Reyes", "Santos", "Cruz", "Garcia", "Mendoza", "Ramos", "Flores", "Bautista", "Aquino", "Castro"},
		country: "PH",
	},
	originVN: {
		male:     []string{"Minh", "Thanh", "Hùng", "Tuấn", "Đức", "Quang", "Long", "Hải", "Nam", "Dũng", "Phúc", "Khoa", "Bảo", "Huy"},
		female:   []string{"Anh", "Lan", "Hương", "Thảo", "Linh", "Mai", "Hoa", "Phương", "Trang", "Ngọc", "Hạnh", "Thủy", "Yến", "Vy"},
		surnames: []string{"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý"},
		middleM:  []string{"Văn", "Đức", "Minh", "Quốc", "Hữu"},
		middleF:  []string{"Thị", "Ngọc", "Thu", "Kim", "Thanh"},
		country:  "VN",
	},
	originIN: {
		male:     []string{"Rahul", "Amit", "Sanjay", "Vikram", "Arjun", "Rajesh", "Suresh", "Anil", "Harpreet", "Gurpreet", "Ravi", "Deepak", "Manoj", "Karan", "Nikhil"},
		female:   []string{"Priya", "Anjali", "Sunita", "Deepa", "Kavita", "Pooja", "Neha", "Lakshmi", "Simran", "Meena", "Divya", "Asha", "Rekha"},
		surnames: []string{"Sharma", "Patel", "Singh", "Kumar", "Gupta", "Reddy", "Nair", "Iyer", "Shah", "Mehta", "Das", "Rao", "Joshi", "Verma", "Pillai", "Chopra", "Kaur", "Menon", "Bhatt", "Malhotra"},
		middleM:  []string{"Kumar", "Prasad", "Singh", "Lal"},
		middleF:  []string{"Devi", "Kumari", "Rani"},
		country:  "IN",
	},
	originPL: {
		male:          []string{"Piotr", "Krzysztof", "Andrzej", "Tomasz", "Paweł", "Michał", "Marcin", "Łukasz", "Jakub", "Grzegorz", "Wojciech", "Stanisław"},
		female:        []string{"Anna", "Maria", "Katarzyna", "Małgorzata", "Agnieszka", "Barbara", "Ewa", "Joanna", "Zofia", "Magdalena", "Dorota", "Jadwiga"},
		surnames:      []string{"Nowak", "Kowalski", "Wiśniewski", "Wójcik", "Kowalczyk", "Kamiński", "Lewandowski", "Zieliński", "Szymański", "Woźniak", "Dąbrowski", "Kozłowski", "Mazur", "Krawczyk"},
		femaleSurname: polishFemale,
		country:       "PL",
	},
	originNG: {
		male:     []string{"Chinedu", "Emeka", "Oluwaseun", "Tunde", "Ifeanyi", "Segun", "Babatunde", "Uche", "Chukwuemeka", "Femi", "Obinna", "Kelechi"},
		female:   []string{"Ngozi", "Chioma", "Funmilayo", "Adaeze", "Yetunde", "Folake", "Amaka", "Blessing", "Nkechi", "Bisola", "Ifeoma", "Titilayo"},
		surnames: []string{"Okafor", "Adeyemi", "Okonkwo", "Balogun", "Eze", "Nwosu", "Adebayo", "Ogunleye", "Chukwu", "Ibrahim", "Bello", "Obi", "Afolabi", "Onyeka", "Okeke", "Oyelaran"},
		middleM:  []string{"Chukwudi", "Olamide", "Ikenna"},
		middleF:  []string{"Adaobi", "Omolara", "Chiamaka"},
		country:  "NG",
	},
	originFR: {
		male:     []string{"Jean", "François", "Jérôme", "Stéphane", "Frédéric", "Benoît", "Pierre", "Michel", "Grégoire", "Noël", "Loïc", "Thierry", "Hervé", "Jean-Luc", "Jean-Pierre"},
		female:   []string{"Hélène", "Amélie", "Céline", "Élodie", "Geneviève", "Françoise", "Mélanie", "Anaïs", "Sophie", "Isabelle", "Nathalie"},
		surnames: []string{"Dupont", "Lefèvre", "Martin", "Bernard", "Dubois", "Moreau", "Laurent", "Girard", "Rousseau", "Fontaine", "Lemaître", "Mercier", "Garnier", "Chevalier", "Faure", "Gauthier", "Hébert", "Lefebvre", "Bézier", "Fournier"},
		middleM:  []string{"Marie", "Louis", "Paul", "André"},
		middleF:  []string{"Marie", "Claire", "Louise"},
		country:  "FR",
	},
	originDE: {
		male:     []string{"Jürgen", "Klaus", "Stefan", "Thomas", "Wolfgang", "Uwe", "Günter", "Dieter", "Matthias", "Andreas", "Frank", "Bernd", "Holger"},
		female:   []string{"Sabine", "Petra", "Monika", "Ursula", "Claudia", "Birgit", "Andrea", "Gabriele", "Karin"},
		surnames: []string{"Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schäfer", "Koch", "Hoffmann", "Krüger", "Schröder", "Neumann", "Zimmermann", "Braun"},
		middleM:  []string{"Heinz", "Karl", "Peter"},
		middleF:  []string{"Maria", "Anna"},
		country:  "DE",
	},
	originGH: {
		male:     []string{"Kwame", "Kofi", "Yaw", "Kwabena", "Kojo", "Kwaku", "Nana"},
		female:   []string{"Ama", "Akosua", "Abena", "Efua", "Adwoa", "Akua"},
		surnames: []string{"Mensah", "Asante", "Boateng", "Owusu", "Addo", "Appiah", "Osei", "Agyeman", "Darko", "Ofori"},
		country:  "GH",
	},
	originCO: {
		male:     []string{"Andrés", "Juan Carlos", "Santiago", "Camilo", "Sebastián"},
		female:   []string{"Valentina", "Daniela", "Camila", "Natalia", "Laura", "Paola", "Alejandra", "Carolina", "Juliana", "Mariana"},
		surnames: []string{"Rodríguez", "Gómez", "González", "Martínez", "García", "López", "Hernández", "Sánchez", "Ramírez", "Pérez", "Díaz", "Moreno", "Jiménez", "Vargas"},
		country:  "CO",
	},
	originRO: {
		male:     []string{"Andrei", "Mihai", "Alexandru", "Ionuț"},
		female:   []string{"Elena", "Ioana", "Andreea", "Maria", "Alexandra", "Bianca", "Cristina", "Diana", "Roxana", "Larisa"},
		surnames: []string{"Popescu", "Ionescu", "Popa", "Dumitru", "Stan", "Stoica", "Gheorghe", "Matei", "Ciobanu", "Rusu", "Munteanu", "Constantin"},
		country:  "RO",
	},
	originTH: {
		male:     []string{"Somchai", "Prasert", "Anan", "Chai", "Kittisak", "Budi", "Agus", "Sokha", "Dara"},
		female:   []string{"Siriporn", "Nattaya", "Malee", "Kanya", "Ploy", "Siti", "Dewi", "Putri", "Sreymom", "Channary"},
		surnames: []string{"Srisuk", "Chaiyaphum", "Wongsawat", "Saelim", "Boonmee", "Santoso", "Wijaya", "Hartono", "Sok", "Chan", "Meas", "Phan"},
		country:  "TH",
	},
}

func polishFemale(s string) string {
	if strings.HasSuffix(s, "ski") {
		return strings.TrimSuffix(s, "ski") + "ska"
	}
	return s
}

// nicknames maps a formal given name to the familiar forms a foreign clerk
// or a second provider may record.
var nicknames = map[string][]string{
	"Robert": {"Bob", "Rob"}, "William": {"Bill", "Will"}, "Richard": {"Rick", "Dick"}, "James": {"Jim", "Jimmy"},
	"Michael": {"Mike", "Mick"}, "Stephen": {"Steve"}, "Anthony": {"Tony"}, "Christopher": {"Chris"},
	"Gregory": {"Greg"}, "Geoffrey": {"Geoff"}, "Andrew": {"Andy", "Drew"}, "Peter": {"Pete"}, "David": {"Dave"},
	"Daniel": {"Dan", "Danny"}, "Thomas": {"Tom", "Tommy"}, "Matthew": {"Matt"}, "Joshua": {"Josh"},
	"Kenneth": {"Ken"}, "Raymond": {"Ray"}, "Phillip": {"Phil"}, "Benjamin": {"Ben"}, "Russell": {"Russ"},
	"Gary": {"Gaz"}, "Patricia": {"Pat", "Trish"}, "Margaret": {"Maggie", "Peggy"}, "Jennifer": {"Jenny", "Jen"},
	"Deborah": {"Deb", "Debbie"}, "Christine": {"Chris", "Tina"}, "Susan": {"Sue"}, "Elizabeth": {"Liz", "Beth"},
	"Catherine": {"Kate", "Cathy"}, "Rebecca": {"Becky", "Bec"}, "Barbara": {"Barb"}, "Joanne": {"Jo"},
	"Jose": {"Pepe"}, "Francisco": {"Kiko"}, "Eduardo": {"Edu"}, "Jonathan": {"Jon"},
	"Wolfgang": {"Wolf"}, "Matthias": {"Matze"}, "Andreas": {"Andi"},
}

var asciiReplacer = strings.NewReplacer("ł", "l", "Ł", "L", "đ", "d", "Đ", "D", "ß", "ss")

var stripMarks = transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)

// ascii drops diacritics the way a foreign clerk's keyboard would.
func ascii(s string) string {
	if isASCII(s) {
		return s
	}
	s = asciiReplacer.Replace(s)
	out, _, err := transform.String(stripMarks, s)
	if err != nil {
		return s
	}
	return out
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// Places. Australian cities carry their IANA zone (for local sending hours)
// and a postcode range; foreign cities carry the spellings senders use.
type auCity struct {
	name, zone, state string
	post0, post1      int
	weight            int
}

var auCities = []auCity{
	{"Sydney", "Australia/Sydney", "NSW", 2000, 2234, 22},
	{"Melbourne", "Australia/Melbourne", "VIC", 3000, 3207, 21},
	{"Brisbane", "Australia/Brisbane", "QLD", 4000, 4179, 11},
	{"Perth", "Australia/Perth", "WA", 6000, 6199, 9},
	{"Adelaide", "Australia/Adelaide", "SA", 5000, 5199, 6},
	{"Gold Coast", "Australia/Brisbane", "QLD", 4207, 4230, 3},
	{"Canberra", "Australia/Sydney", "ACT", 2600, 2617, 2},
	{"Newcastle", "Australia/Sydney", "NSW", 2280, 2310, 2},
	{"Hobart", "Australia/Hobart", "TAS", 7000, 7055, 1},
	{"Geelong", "Australia/Melbourne", "VIC", 3211, 3228, 1},
	{"Townsville", "Australia/Brisbane", "QLD", 4810, 4818, 1},
	{"Cairns", "Australia/Brisbane", "QLD", 4868, 4879, 1},
	{"Darwin", "Australia/Darwin", "NT", 800, 832, 1},
	{"Wollongong", "Australia/Sydney", "NSW", 2500, 2530, 1},
}

var streets = []string{"George", "King", "Queen", "Victoria", "Elizabeth", "Church", "High", "Station", "Park", "Railway",
	"Albert", "William", "Bridge", "Hill", "Main", "Beach", "Pacific", "Esplanade", "Wattle", "Banksia", "Acacia", "Jacaranda"}
var streetTypes = [][2]string{{"St", "Street"}, {"Rd", "Road"}, {"Ave", "Avenue"}, {"Cres", "Crescent"}, {"Dr", "Drive"}, {"Pde", "Parade"}}

// foreignCity lists the spellings of one city as senders type them.
type foreignCity struct {
	country  string
	variants []string
}

var phCities = []foreignCity{
	{"PH", []string{"Angeles City", "Angeles", "ANGELES CITY, PAMPANGA", "Angeles, Pampanga"}},
	{"PH", []string{"Cebu City", "Cebu", "CEBU CITY", "Cebu City, Cebu"}},
	{"PH", []string{"Lapu-Lapu City", "Lapu Lapu", "LAPU-LAPU CITY, CEBU", "Lapulapu"}},
	{"PH", []string{"Taguig", "Taguig City", "TAGUIG CITY, METRO MANILA"}},
	{"PH", []string{"Pasay", "Pasay City", "PASAY CITY"}},
	{"PH", []string{"Manila", "City of Manila", "MANILA", "Tondo, Manila"}},
	{"PH", []string{"Quezon City", "QC", "QUEZON CITY, METRO MANILA"}},
	{"PH", []string{"Davao City", "Davao", "DAVAO CITY"}},
	{"PH", []string{"Cagayan de Oro", "CDO", "Cagayan De Oro City"}},
	{"PH", []string{"Bacolod", "Bacolod City", "BACOLOD CITY, NEGROS OCCIDENTAL"}},
	{"PH", []string{"Iloilo City", "Iloilo", "ILOILO CITY"}},
	{"PH", []string{"Caloocan", "Caloocan City", "CALOOCAN"}},
	{"PH", []string{"Olongapo", "Olongapo City", "OLONGAPO CITY, ZAMBALES"}},
	{"PH", []string{"General Santos", "Gen. Santos City", "GENSAN", "General Santos City"}},
	{"PH", []string{"Tacloban", "Tacloban City", "TACLOBAN CITY, LEYTE"}},
	{"PH", []string{"San Fernando", "San Fernando, Pampanga", "CITY OF SAN FERNANDO"}},
	{"PH", []string{"Dumaguete", "Dumaguete City", "DUMAGUETE CITY, NEGROS ORIENTAL"}},
	{"PH", []string{"Antipolo", "Antipolo City", "ANTIPOLO CITY, RIZAL"}},
}

var otherCities = map[string][]foreignCity{
	"VN": {{"VN", []string{"Ho Chi Minh City", "HCMC", "Saigon", "TP Ho Chi Minh"}}, {"VN", []string{"Hanoi", "Ha Noi", "HANOI"}}, {"VN", []string{"Da Nang", "Danang"}}, {"VN", []string{"Can Tho", "Cần Thơ"}}},
	"IN": {{"IN", []string{"Mumbai", "Bombay", "MUMBAI"}}, {"IN", []string{"New Delhi", "Delhi"}}, {"IN", []string{"Chennai", "Madras"}}, {"IN", []string{"Kochi", "Cochin", "Ernakulam"}}, {"IN", []string{"Amritsar"}}, {"IN", []string{"Hyderabad"}}, {"IN", []string{"Ludhiana"}}},
	"PL": {{"PL", []string{"Kraków", "Krakow", "KRAKOW"}}, {"PL", []string{"Warszawa", "Warsaw"}}, {"PL", []string{"Wrocław", "Wroclaw"}}, {"PL", []string{"Gdańsk", "Gdansk"}}, {"PL", []string{"Łódź", "Lodz"}}},
	"NG": {{"NG", []string{"Lagos", "LAGOS", "Ikeja, Lagos"}}, {"NG", []string{"Abuja", "ABUJA FCT"}}, {"NG", []string{"Enugu"}}, {"NG", []string{"Port Harcourt", "PH City"}}, {"NG", []string{"Onitsha"}}},
	"GH": {{"GH", []string{"Accra", "ACCRA", "Accra, Greater Accra"}}, {"GH", []string{"Kumasi"}}, {"GH", []string{"Tema"}}},
	"CO": {{"CO", []string{"Medellín", "Medellin", "MEDELLIN"}}, {"CO", []string{"Bogotá", "Bogota", "Bogota DC"}}, {"CO", []string{"Cali", "Santiago de Cali"}}, {"CO", []string{"Pereira"}}},
	"RO": {{"RO", []string{"București", "Bucharest", "Bucuresti"}}, {"RO", []string{"Cluj-Napoca", "Cluj"}}, {"RO", []string{"Timișoara", "Timisoara"}}, {"RO", []string{"Iași", "Iasi"}}},
	"TH": {{"TH", []string{"Bangkok", "Krung Thep", "BANGKOK"}}, {"TH", []string{"Pattaya", "Pattaya City", "Chonburi"}}, {"TH", []string{"Chiang Mai"}}, {"TH", []string{"Udon Thani"}}},
	"ID": {{"ID", []string{"Jakarta", "DKI Jakarta"}}, {"ID", []string{"Denpasar", "Bali"}}, {"ID", []string{"Surabaya"}}, {"ID", []string{"Medan"}}},
	"KH": {{"KH", []string{"Phnom Penh", "PHNOM PENH"}}, {"KH", []string{"Siem Reap"}}, {"KH", []string{"Sihanoukville"}}},
	"FR": {{"FR", []string{"Paris"}}, {"FR", []string{"Lyon"}}, {"FR", []string{"Marseille"}}},
	"DE": {{"DE", []string{"Berlin"}}, {"DE", []string{"München", "Munich"}}, {"DE", []string{"Hamburg"}}},
	"GB": {{"GB", []string{"London"}}, {"GB", []string{"Manchester"}}, {"GB", []string{"Birmingham"}}, {"GB", []string{"Leeds"}}},
	"NZ": {{"NZ", []string{"Auckland"}}, {"NZ", []string{"Wellington"}}, {"NZ", []string{"Christchurch"}}},
	"US": {{"US", []string{"Los Angeles", "LA"}}, {"US", []string{"New York", "NYC"}}, {"US", []string{"Honolulu"}}},
	"CY": {{"CY", []string{"Limassol", "Lemesos"}}, {"CY", []string{"Nicosia"}}},
	"MT": {{"MT", []string{"Sliema"}}, {"MT", []string{"St Julian's"}}},
	"NL": {{"NL", []string{"Amsterdam"}}, {"NL", []string{"Rotterdam"}}},
	"KE": {{"KE", []string{"Nairobi"}}, {"KE", []string{"Kisumu"}}},
	"UG": {{"UG", []string{"Kampala"}}},
	"GT": {{"GT", []string{"Guatemala City", "Ciudad de Guatemala"}}},
	"MY": {{"MY", []string{"Kuala Lumpur", "KL"}}, {"MY", []string{"Johor Bahru"}}},
	"TR": {{"TR", []string{"Istanbul", "İstanbul"}}},
	"CN": {{"CN", []string{"Guangzhou"}}, {"CN", []string{"Shanghai"}}},
	"IT": {{"IT", []string{"Roma", "Rome"}}, {"IT", []string{"Milano", "Milan"}}},
	"GR": {{"GR", []string{"Athens", "Athina"}}, {"GR", []string{"Thessaloniki"}}},
}

// Organisations paid by the honest segments. The names are invented.
var webcamPlatforms = []struct{ name, country, city string }{
	{"CamVista Media Ltd", "CY", "Limassol"},
	{"LiveStage Entertainment BV", "NL", "Amsterdam"},
	{"Nightowl Interactive Ltd", "MT", "Sliema"},
	{"StreamHouse Digital LLC", "US", "Los Angeles"},
	{"Velvet Chat Services SRL", "RO", "Bucharest"},
	{"Aurora Live Media Ltd", "CY", "Nicosia"},
}

var charities = []struct{ name, country, city string }{
	{"Bright Futures Children's Foundation Inc", "PH", "Quezon City"},
	{"Hope Springs Child Sponsorship Foundation", "PH", "Cebu City"},
	{"Kalinga Youth Education Trust Inc", "PH", "Davao City"},
	{"Harambee Child Welfare Trust", "KE", "Nairobi"},
	{"Pearl of Africa Schools Fund", "UG", "Kampala"},
	{"Little Lanterns Education Fund", "KH", "Phnom Penh"},
	{"Manos Unidas por la Niñez", "GT", "Guatemala City"},
	{"Asha Kiran Children's Trust", "IN", "Chennai"},
}

// Providers by channel (invented names of reporting entities).
var providers = map[string][]string{
	"remittance": {"Pacific Remit", "SendHome Express", "GlobeLink Money Transfer"},
	"bank":       {"Harbour Bank", "Southern Cross Bank", "Coastal Savings Bank"},
	"wallet":     {"TapPay Wallet", "Kookaburra Pay"},
	"card":       {"Harbour Bank", "Southern Cross Bank", "Kookaburra Pay"},
}

var emailDomains = []string{"mail.example.com", "example.net", "inbox.example.org", "post.example.com", "webmail.example.net"}

var platformsCall = []string{"skype", "messenger", "whatsapp", "viber", "telegram", "zoom"}

var handleWords = []string{"sunny", "blue", "oz", "aussie", "lonely", "kind", "happy", "silver", "eagle", "tiger", "surf", "outback",
	"reef", "koala", "night", "traveller", "mate", "gentle", "uncle", "cool", "wolf", "bear", "rider", "fisher",
	"digger", "bluey", "storm", "shadow", "moon", "star", "joker", "captain", "coach", "bushman", "wanderer"}

// initial returns the first character of s (a whole rune, never half of one).
func initial(s string) string {
	_, n := utf8.DecodeRuneInString(s)
	return s[:n]
}
