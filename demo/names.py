"""Norwegian first and last names for the generated people of the demo, the scale data and the benches."""

GIRLS = (
    "Nora", "Sofie", "Olivia", "Ella", "Maja", "Ingrid", "Leah", "Sara", "Frida", "Hedda", "Selma", "Thea",
    "Amalie", "Ida", "Tiril", "Mathilde", "Vilde", "Julie", "Hanna", "Aurora", "Ada", "Iben", "Eline", "Marte",
    "Sigrid", "Astrid", "Live", "Mia", "Amira", "Linnea", "Oda", "Emma", "Jenny", "Synne", "Guro", "Solveig",
)
BOYS = (
    "Jakob", "Noah", "Emil", "Lucas", "Oliver", "Isak", "William", "Filip", "Aksel", "Theodor", "Elias",
    "Kasper", "Magnus", "Henrik", "Sander", "Tobias", "Mathias", "Sebastian", "Adrian", "Johannes", "Sindre",
    "Eirik", "Vetle", "Markus", "Mohammed", "Even", "Sondre", "Håkon", "Ali", "Jonas", "Ola", "Torstein",
)
WOMEN = (
    "Kari", "Anne", "Marit", "Liv", "Hilde", "Tone", "Kristin", "Heidi", "Camilla", "Ragnhild", "Mona", "Linda",
    "Trine", "Elisabeth", "Siri", "Gunn", "Therese", "Nina", "Åse", "Aisha", "Randi", "Silje", "Ingunn", "Berit",
)
MEN = (
    "Per", "Ole", "Lars", "Jan", "Knut", "Bjørn", "Arne", "Tor", "Morten", "Rune", "Trond", "Stian", "Terje",
    "Harald", "Eivind", "Anders", "Thomas", "Frode", "Ahmed", "Tuan", "Geir", "Espen", "Øyvind", "Kjetil",
)
LAST_NAMES = (
    "Hansen", "Johansen", "Olsen", "Larsen", "Andersen", "Pedersen", "Nilsen", "Kristiansen", "Jensen",
    "Karlsen", "Pettersen", "Eriksen", "Berg", "Hagen", "Johannessen", "Dahl", "Halvorsen", "Lund", "Moen",
    "Strand", "Solberg", "Eide", "Knutsen", "Bakken", "Mathisen", "Lie", "Nguyen", "Rasmussen", "Ali", "Berge",
    "Nygård", "Holm", "Lien", "Hauge", "Sæther", "Myhre", "Ahmed", "Danielsen", "Rønning", "Næss", "Ødegård",
    "Aasen", "Strøm", "Tangen", "Helland", "Bøe", "Aune", "Mikkelsen", "Abrahamsen", "Madsen", "Hussain", "Fosse",
    "Nesse", "Haugland", "Solheim", "Brekke", "Lunde", "Vik", "Sandvik", "Haugen", "Totland", "Kleppe", "Mjelde",
)
