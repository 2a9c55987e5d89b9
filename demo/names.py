"""Common Swedish names and street names for believable demo data."""

FEMALE = (
    "Alva Alice Maja Elsa Ella Wilma Ebba Olivia Astrid Agnes Saga Freja Vera Alma Selma Lilly "
    "Signe Clara Elvira Ines Linnea Moa Julia Emma Ida Hanna Sara Amanda Matilda Felicia Nora "
    "Tilde Ellen Emilia Lova Stella Leah Nova Majken Hedda Amira Yasmin Sofia Lejla Nour Hawa"
).split()

MALE = (
    "William Liam Noah Hugo Lucas Oliver Elias Adam Alexander Nils Oscar Leo Viktor Filip Ludvig "
    "Axel Theo Isak Melvin Vincent Harry Olle Edvin Arvid Sixten Malte Gustav Emil Anton Albin "
    "Jonathan Samuel David Simon Jacob Max Erik Karl Ali Omar Mohammed Yusuf Amir Elton Sam"
).split()

SURNAMES = (
    "Andersson Johansson Karlsson Nilsson Eriksson Larsson Olsson Persson Svensson Gustafsson "
    "Pettersson Jonsson Jansson Hansson Bengtsson Jönsson Lindberg Jakobsson Magnusson Olofsson "
    "Lindström Lindqvist Lindgren Axelsson Berg Bergström Lundberg Lind Lundgren Lundqvist "
    "Mattsson Berglund Fredriksson Sandberg Henriksson Forsberg Sjöberg Wallin Ali Mohammed "
    "Engström Eklund Danielsson Lundin Håkansson Björk Bergman Gunnarsson Holm Wikström Samuelsson "
    "Isaksson Fransson Bergqvist Nyström Holmberg Arvidsson Löfgren Söderberg Nyberg Hussein Yilmaz"
).split()

STREETS = (
    "Storgatan",
    "Järnvägsgatan",
    "Landsvägen",
    "Östra Madenvägen",
    "Esplanaden",
    "Kavallerivägen",
    "Sturegatan",
    "Hallonbergsplan",
    "Ursviksvägen",
    "Lötsjövägen",
    "Vegagatan",
    "Golfvägen",
    "Ängsvägen",
    "Fröviksvägen",
    "Rissneleden",
    "Tulegatan",
    "Lysgränd",
    "Bangatan",
    "Ekbacksvägen",
    "Marabouvägen",
    "Bällstavägen",
    "Allévägen",
)
