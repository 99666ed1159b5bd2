# ruff: noqa: E501 (wording, kept as written)
"""The questionnaire's wording in Spanish and French, per question-set version (see donors/questions.py).

Keys: "<section>.title", "<section>.intro" (and .bereaved_title, .bereaved_intro); "<question id>" for the
question, "<id>.help", "<id>.bereaved_text", "<id>.choice.<value>" for a choice; "yes" and "no" for yes/no
answers. A released version's wording is never edited (a change makes a new version, like the English); a key
missing here shows in English. tests/donors/test_question_languages.py checks the current version is complete.
Spanish: neutral Latin American, "usted". French: standard French readable in Canada, "vous".
"""

_V2026_1_ES = {
    "yes": "Sí",
    "no": "No",
    "health.title": "Su salud",
    "health.intro": "Algunas preguntas sobre su salud en general. No hay respuestas equivocadas.",
    "delivery_date": "¿Cuándo dio a luz?",
    "delivery_date.help": "Una fecha aproximada está bien.",
    "good_health": "¿Está usted en buen estado de salud general hoy?",
    "chronic_illness": (
        "¿Tiene o ha tenido alguna enfermedad de larga duración, como diabetes, una enfermedad de la tiroides, "
        "una enfermedad autoinmune o cáncer?"
    ),
    "chronic_illness_details": "Si respondió que sí, díganos cuál y cuándo.",
    "provider_name": "Nombre y clínica de su propio médico o proveedor de salud",
    "provider_name.help": (
        "Le pedimos a su proveedor que confirme que usted puede donar. Nunca le compartimos sus respuestas."
    ),
    "provider_phone": "Número de teléfono de su proveedor de salud",
    "medicines.title": "Medicamentos y suplementos",
    "medicines.intro": (
        "Muchos medicamentos no impiden donar. Cuéntenos sobre todos para que nuestro equipo pueda revisarlos."
    ),
    "medications": (
        "¿Toma ahora algún medicamento, recetado o comprado sin receta? Esto incluye anticonceptivos, insulina, "
        "medicamentos para la tiroides y antidepresivos."
    ),
    "medications.help": (
        "Un analgésico de vez en cuando, como ibuprofeno o acetaminofén (paracetamol), no cuenta."
    ),
    "medications_list": "Si respondió que sí, anote cada medicamento y con qué frecuencia lo toma.",
    "herbal": (
        "¿Toma productos de hierbas, remedios o suplementos, aparte de las vitaminas prenatales? Por ejemplo, "
        "fenogreco, cardo santo o tés para aumentar la producción de leche."
    ),
    "herbal_list": "Si respondió que sí, anótelos y con qué frecuencia los toma.",
    "habits.title": "Tabaco, alcohol y drogas",
    "habits.intro": (
        "Se lo preguntamos a todas las personas. Por favor, responda con sinceridad; alguien de nuestro equipo "
        "lo conversará con usted."
    ),
    "nicotine": (
        "¿Consume ahora tabaco o nicotina en cualquier forma? Esto incluye cigarrillos, vapeadores o cigarrillos "
        "electrónicos, puros, tabaco de mascar, bolsitas de nicotina, chicles o parches de nicotina."
    ),
    "alcohol_per_day": "En un día normal, ¿cuántas bebidas alcohólicas toma?",
    "alcohol_per_day.help": (
        "Una bebida es una lata de cerveza, una copa de vino o un trago de licor. Escriba 0 si no toma."
    ),
    "recreational_drugs": (
        "En los últimos 12 meses, ¿ha consumido alguna droga recreativa, incluido el cannabis (marihuana) en "
        "cualquier forma?"
    ),
    "blood.title": "Sangre, trasplantes y agujas",
    "transfusion": (
        "En los últimos 4 meses, ¿ha recibido sangre o algún producto de la sangre, como glóbulos rojos, "
        "plaquetas o plasma?"
    ),
    "transplant": "En los últimos 12 meses, ¿ha recibido un trasplante o injerto de órgano o de tejido?",
    "needle_exposure": (
        "En los últimos 12 meses, ¿se ha hecho un tatuaje, maquillaje permanente o una perforación (incluidas "
        "las orejas) con equipo que tal vez no estaba esterilizado, o se ha pinchado con una aguja usada en "
        "otra persona?"
    ),
    "needle_exposure.help": (
        "Un tatuaje o una perforación hechos en un estudio autorizado con agujas de un solo uso normalmente no "
        "es un problema. Si tiene dudas, responda que sí y cuéntenos más."
    ),
    "needle_exposure_details": "Si respondió que sí, ¿qué fue y cuándo?",
    "travel.title": "Viajes y tiempo en el extranjero",
    "uk_1980_1996": (
        "Entre 1980 y 1996, ¿pasó 3 meses o más en total en el Reino Unido (Inglaterra, Escocia, Gales, "
        "Irlanda del Norte, la Isla de Man o las Islas del Canal)?"
    ),
    "europe_since_1980": "Desde 1980, ¿ha pasado 5 años o más en total en Europa (contando el Reino Unido)?",
    "abroad_12_months": "En los últimos 12 meses, ¿ha viajado o vivido fuera del país?",
    "abroad_details": "Si respondió que sí, ¿a dónde fue y cuándo?",
    "infections.title": "Infecciones e historia familiar",
    "infections.intro": (
        "Estas preguntas protegen a los bebés que reciben la leche. Sus respuestas se mantienen privadas."
    ),
    "partner_risk": (
        "En los últimos 12 meses, ¿ha tenido una pareja sexual que tenga VIH o hepatitis, o que pueda estar en "
        "riesgo de tenerlos (por ejemplo, alguien que se haya inyectado drogas no recetadas por un médico)?"
    ),
    "hepatitis_hiv_htlv": (
        "¿Alguna vez ha dado positivo en una prueba de hepatitis B o C, VIH o HTLV, o le han dicho que los tiene?"
    ),
    "hepatitis_hiv_htlv.help": "La hepatitis A, o la ictericia al nacer, no cuentan.",
    "cjd": (
        "¿Alguien de su familia de sangre ha tenido la enfermedad de Creutzfeldt-Jakob (ECJ), o alguna vez le "
        "han dado hormona de crecimiento hipofisaria humana o un injerto de duramadre (la membrana que cubre el "
        "cerebro)?"
    ),
    "baby.title": "Su bebé",
    "baby.intro": (
        "Como su leche ha alimentado a su bebé, le preguntamos sobre su salud y sobre su proveedor de salud."
    ),
    "infant_healthy": "¿Su bebé está sano y creciendo bien?",
    "infant_health_details": "Si no es así, cuéntenos un poco sobre la salud de su bebé.",
    "infant_provider": "Nombre y clínica del médico o proveedor de salud de su bebé",
    "infant_provider_phone": "Número de teléfono del proveedor de salud de su bebé",
    "anything_else.title": "Algo más",
    "anything_else": "¿Hay algo más que le gustaría que supiéramos?",
    "anything_else.help": "Por ejemplo, un buen momento para llamarle, o una pregunta para nuestro equipo.",
}

_V2026_1_FR = {
    "yes": "Oui",
    "no": "Non",
    "health.title": "Votre santé",
    "health.intro": "Quelques questions sur votre santé en général. Il n'y a pas de mauvaise réponse.",
    "delivery_date": "Quand avez-vous accouché?",
    "delivery_date.help": "Une date approximative suffit.",
    "good_health": "Êtes-vous en bonne santé générale aujourd'hui?",
    "chronic_illness": (
        "Avez-vous, ou avez-vous eu, une maladie de longue durée, comme le diabète, une maladie de la thyroïde, "
        "une maladie auto-immune ou un cancer?"
    ),
    "chronic_illness_details": "Si oui, dites-nous laquelle, et quand.",
    "provider_name": "Le nom et la clinique de votre propre professionnel de la santé",
    "provider_name.help": (
        "Nous demandons à votre professionnel de la santé de confirmer que vous pouvez donner. Nous ne lui "
        "communiquons jamais vos réponses."
    ),
    "provider_phone": "Le numéro de téléphone de votre professionnel de la santé",
    "medicines.title": "Médicaments et suppléments",
    "medicines.intro": (
        "Beaucoup de médicaments sont compatibles avec le don. Parlez-nous de tous vos médicaments pour que notre "
        "équipe puisse vérifier."
    ),
    "medications": (
        "Prenez-vous des médicaments en ce moment, sur ordonnance ou en vente libre? Cela comprend la "
        "contraception, l'insuline, les médicaments pour la thyroïde et les antidépresseurs."
    ),
    "medications.help": (
        "Un antidouleur pris de temps en temps, comme l'ibuprofène ou l'acétaminophène (paracétamol), ne compte "
        "pas."
    ),
    "medications_list": "Si oui, indiquez chaque médicament et à quelle fréquence vous le prenez.",
    "herbal": (
        "Prenez-vous des produits à base de plantes, des remèdes ou des suppléments, autres que les vitamines "
        "prénatales? Par exemple du fenugrec, du chardon béni, ou des tisanes pour augmenter la production de "
        "lait."
    ),
    "herbal_list": "Si oui, indiquez-les et à quelle fréquence vous les prenez.",
    "habits.title": "Tabac, alcool et drogues",
    "habits.intro": (
        "Nous posons ces questions à tout le monde. Merci de répondre franchement; quelqu'un de notre "
        "équipe en parlera avec vous."
    ),
    "nicotine": (
        "Consommez-vous actuellement du tabac ou de la nicotine sous quelque forme que ce soit? Cela comprend "
        "la cigarette, le vapotage ou la cigarette électronique, le cigare, le tabac à chiquer, les sachets, la "
        "gomme ou les timbres de nicotine."
    ),
    "alcohol_per_day": "Lors d'une journée habituelle, combien de consommations d'alcool prenez-vous?",
    "alcohol_per_day.help": (
        "Une consommation, c'est une canette de bière, un verre de vin ou un petit verre de spiritueux. Inscrivez "
        "0 si vous n'en prenez pas."
    ),
    "recreational_drugs": (
        "Au cours des 12 derniers mois, avez-vous consommé des drogues à usage récréatif, y compris le cannabis "
        "(marijuana) sous toutes ses formes?"
    ),
    "blood.title": "Sang, greffes et aiguilles",
    "transfusion": (
        "Au cours des 4 derniers mois, avez-vous reçu du sang ou un produit sanguin, comme des globules rouges, "
        "des plaquettes ou du plasma?"
    ),
    "transplant": "Au cours des 12 derniers mois, avez-vous reçu une greffe d'organe ou de tissu?",
    "needle_exposure": (
        "Au cours des 12 derniers mois, vous êtes-vous fait faire un tatouage, un maquillage permanent ou un "
        "perçage (oreilles comprises) avec du matériel qui n'était peut-être pas stérile, ou avez-vous eu "
        "une piqûre avec une aiguille utilisée sur une autre personne?"
    ),
    "needle_exposure.help": (
        "Un tatouage ou un perçage fait dans un studio autorisé avec des aiguilles à usage unique ne pose "
        "généralement pas de problème. En cas de doute, répondez oui et dites-nous-en plus."
    ),
    "needle_exposure_details": "Si oui, de quoi s'agissait-il, et quand?",
    "travel.title": "Voyages et séjours à l'étranger",
    "uk_1980_1996": (
        "Entre 1980 et 1996, avez-vous passé 3 mois ou plus au total au Royaume-Uni (Angleterre, Écosse, Pays "
        "de Galles, Irlande du Nord, île de Man ou îles Anglo-Normandes)?"
    ),
    "europe_since_1980": (
        "Depuis 1980, avez-vous passé 5 ans ou plus au total en Europe (en comptant le Royaume-Uni)?"
    ),
    "abroad_12_months": "Au cours des 12 derniers mois, avez-vous voyagé ou vécu à l'extérieur du pays?",
    "abroad_details": "Si oui, à quel endroit, et quand?",
    "infections.title": "Infections et antécédents familiaux",
    "infections.intro": (
        "Ces questions protègent les bébés qui reçoivent le lait. Vos réponses restent confidentielles."
    ),
    "partner_risk": (
        "Au cours des 12 derniers mois, avez-vous eu un ou une partenaire sexuel qui a le VIH ou une hépatite, "
        "ou qui pourrait y avoir été exposé (par exemple, une personne qui s'est injecté des drogues non "
        "prescrites par un médecin)?"
    ),
    "hepatitis_hiv_htlv": (
        "Avez-vous déjà eu un test positif à l'hépatite B ou C, au VIH ou au HTLV, ou vous a-t-on déjà dit que "
        "vous aviez l'une de ces infections?"
    ),
    "hepatitis_hiv_htlv.help": "L'hépatite A, ou la jaunisse à la naissance, ne compte pas.",
    "cjd": (
        "Une personne de votre famille par le sang a-t-elle eu la maladie de Creutzfeldt-Jakob (MCJ), ou "
        "avez-vous déjà reçu de l'hormone de croissance hypophysaire humaine ou une greffe de dure-mère "
        "(l'enveloppe du cerveau)?"
    ),
    "baby.title": "Votre bébé",
    "baby.intro": (
        "Comme votre lait a nourri votre bébé, nous vous posons des questions sur sa santé et sur son "
        "professionnel de la santé."
    ),
    "infant_healthy": "Votre bébé est-il en bonne santé et grandit-il bien?",
    "infant_health_details": "Si ce n'est pas le cas, parlez-nous un peu de la santé de votre bébé.",
    "infant_provider": "Le nom et la clinique du professionnel de la santé de votre bébé",
    "infant_provider_phone": "Le numéro de téléphone du professionnel de la santé de votre bébé",
    "anything_else.title": "Autre chose",
    "anything_else": "Y a-t-il autre chose que vous aimeriez nous dire?",
    "anything_else.help": "Par exemple, un bon moment pour vous appeler, ou une question pour notre équipe.",
}

# version -> language -> key -> wording
TRANSLATIONS: dict[str, dict[str, dict[str, str]]] = {
    "2026.1": {"es": _V2026_1_ES, "fr": _V2026_1_FR},
}
