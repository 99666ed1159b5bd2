"""Editors' texts in Spanish and French (django-modeltranslation columns, see resources/translation.py), a
"needs review" box per language, and the search index per language.

Then the starter content in all three languages: the English columns get the English text already there,
and each starter page or list entry gets our Spanish and French text, field by field, only where its English
text is still exactly the starter text (after 0003's corrections) and nobody has written that language yet.
Every translation added here is marked for the bank's review (review_es / review_fr), shown and filterable
in the admin. The data is kept in this file, as in 0002 and 0003.
"""

import importlib

from django.db import migrations, models
from django.db.models import F, Q

CORRECTED = importlib.import_module("resources.migrations.0003_corrections_and_keepsake_makers")
STARTER = CORRECTED.STARTER

TRANSLATED = {
    "Page": ("title", "summary", "body"),
    "GriefResource": ("name", "description", "phone"),
    "MilkBank": ("name", "description", "phone"),
    "KeepsakeMaker": ("name", "description"),
}

# --- Spanish (neutral Latin American, "usted") ---------------------------------------------------------------

ES_PAGES = {
    "lactation-after-loss": {
        "title": "La lactancia después de una pérdida",
        "summary": (
            "Después de la muerte de un bebé, la leche puede bajar de todos modos. Lo que puede pasar en su "
            "cuerpo y las opciones que tiene. Ninguna es correcta ni incorrecta."
        ),
        "body": """\
Lo sentimos mucho. Si su bebé murió, es posible que su cuerpo siga produciendo leche. A muchas familias
nadie se lo dice antes, y puede tomarlas por sorpresa. Esta página explica lo que puede pasar y lo que
usted puede hacer.

## Lo que pasa en su cuerpo

Después de una pérdida en el segundo trimestre o más tarde, el cuerpo suele prepararse para alimentar a
un bebé, igual que después de cualquier parto. Cuando sale la placenta, bajan las hormonas del embarazo
que frenaban la leche, y ese cambio les indica a los pechos que empiecen a producirla.

- **En pocas horas**, puede notar el calostro: una pequeña cantidad de leche espesa y amarillenta.
- **En unos 3 a 5 días**, suele bajar más leche. Los pechos pueden sentirse llenos, pesados, calientes
  o sensibles.
- A algunas personas se les sale la leche. Puede ser muy doloroso de vivir, y es una parte normal de lo
  que hace su cuerpo.

Algunas personas producen mucha leche, otras muy poca y otras nada. Cada cuerpo es diferente.

## Sus opciones

No hay una opción correcta ni una incorrecta, y puede cambiar de opinión cuando quiera. Muchas familias
eligen una de estas, o pasan de una a otra:

- **Dejar que la leche se retire.** [Cómo retirar la leche](/es/suppressing-your-supply/) explica cómo
  sentir el mayor alivio posible.
- **Seguir extrayéndose leche por un tiempo.** A algunas personas les da consuelo. Vea
  [Seguir extrayendo leche](/es/continuing-to-express/).
- **Donar su leche** a bebés pequeños o enfermos en el hospital, en memoria de su bebé. Vea
  [Donar leche después de una pérdida](/es/donating-after-loss/).
- **Guardar un poco como recuerdo.** Vea [La leche como recuerdo](/es/memorializing-milk/).

## Cuándo llamar a su médico o partera

Llame a su proveedor de salud si tiene fiebre, una zona caliente, roja o dolorosa en un pecho, o si
siente dolores en el cuerpo y malestar como de gripe. Pueden ser señales de un conducto tapado o de una infección, y vale la
pena revisarlas pronto.

## No tiene que pasar por esto a solas

El duelo puede pesar mucho. En nuestros [recursos para el duelo](/es/grief-resources/) encontrará personas
y grupos que entienden lo que vive. Nuestro equipo de coordinación también está para hablar con usted,
decida lo que decida.
""",
    },
    "suppressing-your-supply": {
        "title": "Cómo retirar la leche",
        "summary": (
            "Formas suaves de dejar que la leche se retire con el mayor alivio posible, y de evitar la "
            "congestión y la mastitis."
        ),
        "body": """\
El cuerpo produce leche en respuesta a la leche que se saca. Cuando se saca poca o nada, poco a poco
produce menos, y en unos días o unas semanas deja de producirla. Estos pasos pueden hacer más llevadero
ese tiempo.

## Para sentir más alivio

- **Extráigase leche solo para aliviarse.** Si siente los pechos muy llenos, sáquese leche a mano o con
  un extractor solo hasta que baje la presión, no hasta vaciarlos. Sacar un poco le indica al cuerpo que
  produzca menos.
- **Use un sostén que sujete bien** y que sea de su talla. Debe sostener con suavidad. Un sostén
  apretado o un vendaje pueden tapar los conductos, así que es mejor evitarlos.
- **Use protectores de lactancia** para las fugas, y cámbielos cuando estén húmedos.
- **Pruebe algo frío.** Las compresas frías, o unas hojas de repollo frías dentro del sostén, pueden
  bajar la hinchazón. Úselas por ratos cortos, de unos 15 a 20 minutos cada vez.
- **Tome un analgésico** como ibuprofeno o acetaminofén, si son seguros para usted. Alivian el dolor y
  la hinchazón. Su farmacéutico o su proveedor de salud puede decirle cuál le conviene.
- **Las duchas tibias** pueden aliviar. Está bien dejar salir un poco de leche en la ducha.

## Si se ha estado extrayendo leche seguido

Dejarlo de golpe puede doler si se ha estado extrayendo leche varias veces al día: los pechos pueden
congestionarse (ponerse duros, hinchados y adoloridos), y eso puede tapar los conductos y causar mastitis,
una infección del pecho. Quitar una sesión cada pocos días es más suave para su cuerpo. Nuestro
[plan para dejar de extraerse leche](/es/pumping-plan/) prepara un calendario día por día que puede
imprimir.

## Señales para llamar a su proveedor de salud

- fiebre
- una zona caliente, roja o dolorosa en un pecho
- dolores en el cuerpo, escalofríos o malestar como de gripe

Si quiere, su proveedor de salud también puede hablarle de medicamentos que reducen la producción de
leche.
""",
    },
    "continuing-to-express": {
        "title": "Seguir extrayendo leche",
        "summary": (
            "Algunas familias siguen extrayéndose leche por un tiempo: para aliviarse, para donar o para "
            "tener tiempo de decidir."
        ),
        "body": """\
Extraerse leche después de una pérdida es una decisión que toman algunas personas. A algunas les da una
sensación de cercanía o de propósito. No tiene que decidir nada hoy, y puede dejar de hacerlo cuando
quiera.

## Cómo producir y mantener la leche

- Extraerse leche **unas 8 veces al día**, incluida una vez en la noche, ayuda a producir y mantener la
  leche en las primeras semanas.
- Un extractor eléctrico doble ahorra tiempo. Su hospital o una asesora de lactancia pueden ayudarle a
  conseguir uno.
- En los primeros días, la extracción a mano suele funcionar bien para las pequeñas cantidades de
  calostro.

## Cómo guardar su leche

Ponga en cada envase la fecha en que se extrajo la leche, y guárdelo en el refrigerador o el congelador.
Si cree que podría donar, llame pronto a nuestro equipo de coordinación. Le explicarán cómo guardar la
leche para que se pueda aceptar.

## Puede decidir más adelante

Puede extraerse leche unos días o unas semanas. Cuando quiera dejar de hacerlo, vaya bajando poco a poco
con nuestro [plan para dejar de extraerse leche](/es/pumping-plan/). Si le gustaría donar,
[Donar leche después de una pérdida](/es/donating-after-loss/) explica los pasos.
""",
    },
    "memorializing-milk": {
        "title": "La leche como recuerdo",
        "summary": "Formas de guardar un poco de su leche, o su recuerdo, cerca de usted.",
        "body": """\
Algunas personas quieren guardar un poco de su leche, como recuerdo de su bebé y de lo que su cuerpo hizo
por él.

## Joyas de recuerdo

Hay pequeños negocios que hacen joyas de recuerdo, como colgantes, anillos y cuentas, con un poco de leche
materna. Si le interesa, elija a alguien que le explique con claridad cómo conserva la leche, cuánta
necesita y cuánto tarda. Mientras tanto, congele una pequeña cantidad en un envase limpio y con etiqueta.
No hay prisa. Abajo hay algunos talleres que otras familias nos han mencionado. No hemos revisado su
trabajo, así que hágales sus preguntas antes de enviar nada.

## Forever Butterflies (Mariposas para siempre)

Si nos dona leche, le invitamos a poner el nombre de su bebé en nuestra colcha
[Forever Butterflies](/es/butterflies/). Cada mariposa lleva el nombre de pila y la fecha de nacimiento de
un bebé, y se hace una segunda mariposa para que su familia la guarde.

## Otras formas de recordar

Algunas familias plantan un árbol, le escriben una carta a su bebé o guardan una foto de la leche que
donaron. Lo que a usted le parezca bien, está bien.
""",
    },
    "grief-resources": {
        "title": "Recursos para el duelo",
        "summary": (
            "Líneas de apoyo, grupos y organizaciones para las familias después de la muerte de un bebé."
        ),
        "body": """\
El duelo por la muerte de un bebé puede sentirse muy solitario. Las organizaciones de abajo entienden lo
que vive, y muchas las fundaron madres y padres que pasaron por lo mismo. Consulte con cada una sus
horarios actuales.

Si está en crisis o piensa en hacerse daño, llame o envíe un mensaje de texto al **988** ahora mismo, en
Estados Unidos o en Canadá.
""",
    },
    "donating-after-loss": {
        "title": "Donar leche después de una pérdida",
        "summary": (
            "Cómo funciona donar leche después de una pérdida: tres pasos de evaluación, la opción de "
            "investigación y las formas de hacernos llegar su leche."
        ),
        "body": """\
Algunas madres y padres en duelo encuentran sentido en dar su leche a bebés que la necesitan. Muchas
personas la donan en memoria de su bebé, como parte de su legado. Es un regalo, nunca una obligación. Si
le gustaría donar, iremos con calma y a su ritmo.

## Los tres pasos

1. **Una entrevista por teléfono.** Alguien de nuestro equipo de coordinación le llama durante unos 20
   minutos, le hace algunas preguntas generales de salud y responde las suyas.
2. **Un cuestionario escrito.** Una historia de salud que usted llena en el teléfono o la computadora.
   Puede guardarlo y volver a él más tarde.
3. **Análisis de sangre.** Una prueba de sangre sencilla. El banco de leche la paga.

## Leche para investigación

Si la evaluación no es para usted, o si su leche no puede ir a los bebés, quizá pueda darla para
investigaciones que ayudan a mejorar la atención de los bebés. Nuestro equipo de coordinación puede darle
más información.

## Por qué un banco de leche

Un banco de leche sin fines de lucro evalúa a cada donante y pasteuriza la leche antes de que llegue a
los bebés en el hospital. La leche que se comparte de manera informal, de una familia a otra o por
internet, no se evalúa ni se pasteuriza, y puede transmitir infecciones o medicamentos. Si está pensando
en compartir leche de esa manera, hable primero con su proveedor de salud sobre los riesgos.

## Cualquier cantidad es bienvenida

No hay un mínimo. Lo que haya guardado, por poco que sea, es bienvenido.

## Cómo hacernos llegar su leche

- **Llévela a un punto de entrega**, un congelador de recolección en un hospital o una clínica.
  [Buscar un punto de entrega](/es/donate/depots/).
- **Envíela.** Si no hay un punto de entrega cerca, nuestro equipo de coordinación le explicará cómo
  enviar leche congelada al banco.

¿Quiere empezar? [Díganos que le gustaría donar](/es/donate/) y alguien de nuestro equipo le llamará. ¿Vive
lejos? Puede que otro [banco de leche](/es/other-milk-banks/) le quede más cerca.
""",
    },
    "other-milk-banks": {
        "title": "Otros bancos de leche",
        "summary": (
            "Bancos de leche sin fines de lucro en Norteamérica, si prefiere donar más cerca de su casa."
        ),
        "body": """\
Si vive lejos de nosotros, puede ser más fácil donar a un banco de leche cercano. Los bancos sin fines de
lucro de abajo evalúan a sus donantes y pasteurizan la leche para bebés en el hospital, como nosotros. La
Asociación de Bancos de Leche Humana de Norteamérica (HMBANA, por sus siglas en inglés) tiene la lista
completa de sus bancos miembros.
""",
    },
    "for-professionals": {
        "title": "Para profesionales de la salud",
        "summary": (
            "Una guía de orientación para enfermeras, parteras, médicos y asesoras de lactancia que hablan de "
            "la lactancia con madres y padres en duelo."
        ),
        "body": """\
A muchas personas cuyo bebé murió nadie les dice que la leche puede bajar. Saberlo antes, de boca de
alguien amable, puede ahorrarles miedo y dolor. Esta guía es para quien cuida a familias en duelo:
enfermeras, parteras, médicos, asesoras de lactancia, trabajadores sociales y capellanes.

## Antes de hablar

- La lactancia es probable después de una pérdida en el segundo trimestre o más tarde. Verifique la edad
  gestacional.
- Busque un momento tranquilo y privado. Use el nombre del bebé si la familia le puso uno.
- Tenga a mano un [folleto](/es/donating-after-loss/handout/) impreso para dejarles.

## Qué explicar

- **Qué esperar:** calostro en pocas horas, más leche en unos 3 a 5 días, y sensación de llenura o
  fugas.
- **Las opciones, sin inclinar la balanza:** dejar que la leche se retire, extraerse leche por un tiempo,
  donar y guardar un poco como recuerdo. Diga con claridad que no hay una opción correcta ni una
  incorrecta y que pueden cambiar de opinión.
- **Cuidados para la comodidad:** extraerse leche solo para aliviarse; un sostén que sujete sin apretar;
  protectores de lactancia; compresas frías u hojas de repollo frías por ratos cortos; ibuprofeno o
  acetaminofén si son seguros para la persona; duchas tibias.
- **Señales de alarma:** fiebre, una zona caliente, roja o dolorosa en un pecho, o sentirse como con
  gripe (la congestión puede tapar los conductos y causar mastitis). Dígales a quién llamar, de día y de
  noche.

## Palabras que pueden ayudar

- “Es posible que su cuerpo produzca leche en los próximos días. ¿Puedo contarle qué esperar y qué puede
  hacer?”
- “Algunas personas dejan que la leche se retire, otras se la extraen por un tiempo y otras la donan.
  Cualquiera de estas opciones está bien.”
- Evite frases como “al menos…”, y no dé por hecho que la persona quiere donar.

## Si la persona se extrae leche o quiere hacerlo

- Extraerse leche unas 8 veces al día ayuda a producirla; más adelante puede decidir qué hacer con ella.
- Cuando quiera dejar de hacerlo, el [plan para dejar de extraerse leche](/es/pumping-plan/) prepara un
  calendario para imprimir que quita una sesión a la vez.
- Para donar: tres pasos (una entrevista por teléfono de unos 20 minutos, un cuestionario escrito y
  análisis de sangre que paga el banco). Cualquier cantidad es bienvenida. Vea
  [Donar leche después de una pérdida](/es/donating-after-loss/).

## Después del alta

Una llamada unos días después de volver a casa, cuando la leche suele bajar, puede significar mucho.
Anotar en el expediente la decisión de la persona ayuda a que todo el equipo la respete.
""",
    },
}

# English name -> (Spanish name, Spanish description). Names are the organizations' own (their Spanish
# name where they have one).
ES_ENTRIES = {
    "Minnesota Milk Bank for Babies": (
        "Minnesota Milk Bank for Babies",
        "Un banco de leche sin fines de lucro, miembro de HMBANA, en Golden Valley, Minnesota. Pasteuriza "
        "leche donada para hospitales de Minnesota y del Alto Medio Oeste.",
    ),
    "NorthernStar Mothers Milk Bank": (
        "NorthernStar Mothers Milk Bank",
        "Un banco de leche comunitario sin fines de lucro en Calgary, con puntos de entrega de leche en las "
        "provincias de las Praderas.",
    ),
    "Rogers Hixon Ontario Human Milk Bank": (
        "Rogers Hixon Ontario Human Milk Bank",
        "El banco de leche de Ontario, en el Hospital Mount Sinai de Toronto. Envía leche donada a las "
        "unidades de recién nacidos de los hospitales de la provincia.",
    ),
    "BC Women's Provincial Milk Bank": (
        "BC Women's Provincial Milk Bank",
        "En el BC Women's Hospital de Vancouver desde 1974, y miembro fundador de HMBANA. Su leche va a "
        "hospitales de toda la Columbia Británica.",
    ),
    "Human Milk Banking Association of North America (HMBANA)": (
        "Asociación de Bancos de Leche Humana de Norteamérica (HMBANA)",
        "Fija las normas de seguridad de los bancos de leche sin fines de lucro de Estados Unidos y Canadá, "
        "y publica la lista de todos sus bancos miembros para que encuentre el más cercano.",
    ),
    "988 Suicide & Crisis Lifeline": (
        "988 Línea de Prevención del Suicidio y Crisis",
        "Apoyo gratuito y confidencial a cualquier hora del día o de la noche, si está pasando por un momento "
        "muy difícil. Atiende también en español.",
    ),
    "9-8-8 Suicide Crisis Helpline": (
        "9-8-8 Suicide Crisis Helpline",
        "La línea de crisis de Canadá, abierta a toda hora, en inglés y en francés.",
    ),
    "National Maternal Mental Health Hotline": (
        "National Maternal Mental Health Hotline",
        "Consejeras para cualquier persona que esté embarazada o lo haya estado hace poco, también después "
        "de una pérdida. Abierta a toda hora, por llamada o mensaje de texto.",
    ),
    "Postpartum Support International": (
        "Postpartum Support International",
        "Una línea de ayuda y grupos de apoyo gratuitos en línea, incluidos grupos para madres y padres "
        "después de la pérdida de un embarazo o de un bebé.",
    ),
    "Star Legacy Foundation": (
        "Star Legacy Foundation",
        "Apoyo para las familias después de la muerte fetal o la muerte de un bebé, e investigación para "
        "prevenirla.",
    ),
    "Share Pregnancy and Infant Loss Support": (
        "Share Pregnancy and Infant Loss Support",
        "Apoyo entre pares para madres, padres y familias después de un aborto espontáneo, una muerte fetal "
        "o la muerte de un bebé.",
    ),
    "Minnesota Center for Stillbirth and Infant Death": (
        "Minnesota Center for Stillbirth and Infant Death",
        "Un programa estatal de la Star Legacy Foundation. Sus enfermeras y trabajadores sociales se ponen "
        "en contacto con las familias de Minnesota después de la muerte de un bebé, sin costo.",
    ),
    "Pregnancy and Infant Loss (PAIL) Network": (
        "Pregnancy and Infant Loss (PAIL) Network",
        "Apoyo gratuito entre pares para familias de Ontario después de la pérdida de un embarazo o de un "
        "bebé.",
    ),
    "Mama Milk Fairy": ("Mama Milk Fairy", "Hace joyas de recuerdo con leche materna."),
    "The Milky Fern": (
        "The Milky Fern",
        "Hace joyas y otros recuerdos con leche materna o con cenizas de cremación.",
    ),
}


# --- French (standard French that reads well in Canada, "vous") ----------------------------------------------

FR_PAGES = {
    "lactation-after-loss": {
        "title": "La lactation après une perte",
        "summary": (
            "Après le décès d'un bébé, le lait peut tout de même monter. Ce qui peut se passer dans votre "
            "corps, et les choix qui s'offrent à vous. Aucun n'est bon ou mauvais."
        ),
        "body": """\
Nous sommes profondément désolés. Si votre bébé est décédé, votre corps peut quand même produire du lait.
Beaucoup de parents ne sont pas prévenus, et la montée de lait peut être un choc. Cette page explique ce
qui peut se passer et ce que vous pouvez faire.

## Ce qui se passe dans votre corps

Après une perte au deuxième trimestre ou plus tard, le corps se prépare souvent à nourrir un bébé, comme
après toute naissance. À la sortie du placenta, les hormones de grossesse qui retenaient le lait baissent,
et ce changement indique aux seins de produire du lait.

- **En quelques heures**, vous remarquerez peut-être le colostrum : un peu de lait épais et jaunâtre.
- **Après 3 à 5 jours environ**, le lait monte en général davantage. Vos seins peuvent être pleins,
  lourds, chauds ou sensibles.
- Certaines personnes ont des écoulements de lait. C'est parfois très bouleversant, et c'est une partie
  normale de ce que fait votre corps.

Certaines personnes produisent beaucoup de lait, d'autres très peu, d'autres pas du tout. Chaque corps est
différent.

## Vos choix

Il n'y a pas de bon ou de mauvais choix, et vous pouvez changer d'avis à tout moment. Souvent, les parents
choisissent l'une de ces options, ou passent de l'une à l'autre :

- **Laisser le lait se tarir.** [Faire diminuer sa production de lait](/fr/suppressing-your-supply/)
  explique comment rester le plus à l'aise possible.
- **Continuer à exprimer son lait un certain temps.** Certains parents y trouvent du réconfort. Voir
  [Continuer à exprimer son lait](/fr/continuing-to-express/).
- **Donner votre lait** à des bébés petits ou malades à l'hôpital, en mémoire de votre bébé. Voir
  [Donner son lait après une perte](/fr/donating-after-loss/).
- **En garder un peu en souvenir.** Voir [Garder son lait en souvenir](/fr/memorializing-milk/).

## Quand appeler votre médecin ou votre sage-femme

Appelez votre professionnel de la santé si vous avez de la fièvre, une zone chaude, rouge ou douloureuse
sur un sein, ou si vous avez des courbatures et l'impression d'avoir la grippe. Ce peut être le signe d'un
canal bouché ou d'une infection, et il vaut la peine de consulter rapidement.

## Vous n'avez pas à vivre cela sans soutien

Le deuil peut être très lourd. Nos [ressources pour le deuil](/fr/grief-resources/) présentent des
personnes et des groupes qui comprennent. Notre équipe de coordination est aussi là pour vous parler, quoi
que vous décidiez.
""",
    },
    "suppressing-your-supply": {
        "title": "Faire diminuer sa production de lait",
        "summary": (
            "Des moyens doux de laisser le lait se tarir en restant le plus à l'aise possible, et d'éviter "
            "l'engorgement et la mastite."
        ),
        "body": """\
Le corps produit du lait en réponse au lait retiré. Quand on en retire peu ou pas du tout, il en produit
peu à peu moins, et la production s'arrête au bout de quelques jours à quelques semaines. Ces conseils
peuvent rendre cette période plus facile.

## Pour rester à l'aise

- **Exprimez votre lait seulement pour vous soulager.** Si vos seins sont très pleins, exprimez un peu de
  lait à la main ou avec un tire-lait, juste assez pour diminuer la pression, sans les vider. En retirer un
  peu indique au corps d'en produire moins.
- **Portez un soutien-gorge qui maintient bien** et qui est à votre taille. Il doit soutenir en douceur.
  Un soutien-gorge serré ou un bandage peut boucher les canaux : mieux vaut les éviter.
- **Utilisez des compresses d'allaitement** pour les écoulements, et changez-les quand elles sont humides.
- **Essayez le froid.** Des compresses froides, ou des feuilles de chou réfrigérées glissées dans le
  soutien-gorge, peuvent réduire l'enflure. Utilisez-les peu de temps à la fois, environ 15 à 20 minutes.
- **Prenez un antidouleur** comme l'ibuprofène ou l'acétaminophène (paracétamol), s'ils vous conviennent.
  Ils soulagent la douleur et l'enflure. Votre pharmacien ou votre professionnel de la santé peut vous dire
  ce qui vous convient.
- **Une douche chaude** peut apaiser. Vous pouvez laisser couler un peu de lait sous la douche.

## Si vous exprimiez votre lait souvent

Arrêter d'un coup peut être douloureux si vous exprimiez votre lait plusieurs fois par jour : les seins
peuvent s'engorger (devenir durs, gonflés et douloureux), ce qui peut boucher les canaux et causer une
mastite, une infection du sein. Supprimer une séance tous les quelques jours est plus doux pour votre
corps. Notre [plan pour arrêter le tire-lait](/fr/pumping-plan/) prépare un calendrier jour par jour à
imprimer.

## Signes qui demandent un appel à votre professionnel de la santé

- de la fièvre
- une zone chaude, rouge ou douloureuse sur un sein
- des courbatures, des frissons ou l'impression d'avoir la grippe

Si vous le souhaitez, votre professionnel de la santé peut aussi vous parler des médicaments qui réduisent
la production de lait.
""",
    },
    "continuing-to-express": {
        "title": "Continuer à exprimer son lait",
        "summary": (
            "Certains parents continuent d'exprimer leur lait un certain temps : pour se soulager, pour le "
            "donner ou pour prendre le temps de décider."
        ),
        "body": """\
Exprimer son lait après une perte est un choix que font certains parents. Pour certains, cela apporte un
sentiment de proximité ou de sens. Vous n'avez rien à décider aujourd'hui, et vous pouvez arrêter quand
vous le voulez.

## Établir et maintenir la production

- Exprimer votre lait **environ 8 fois par jour**, dont une fois la nuit, permet d'établir et de
  maintenir la production pendant les premières semaines.
- Un tire-lait électrique double fait gagner du temps. Votre hôpital ou une consultante en lactation peut
  vous aider à en trouver un.
- Les premiers jours, l'expression à la main fonctionne souvent bien pour les petites quantités de
  colostrum.

## Conserver votre lait

Inscrivez sur chaque contenant la date où vous avez exprimé le lait, et gardez-le au réfrigérateur ou au
congélateur. Si vous pensez peut-être le donner, appelez tôt notre équipe de coordination. Elle vous
expliquera comment conserver le lait pour qu'il puisse être accepté.

## Vous pouvez décider plus tard

Vous exprimerez peut-être votre lait quelques jours ou quelques semaines. Quand vous serez prête ou prêt à
arrêter, ralentissez en douceur avec notre [plan pour arrêter le tire-lait](/fr/pumping-plan/). Si vous
souhaitez donner votre lait, [Donner son lait après une perte](/fr/donating-after-loss/) en explique les
étapes.
""",
    },
    "memorializing-milk": {
        "title": "Garder son lait en souvenir",
        "summary": "Des façons de garder près de vous un peu de votre lait, ou son souvenir.",
        "body": """\
Certains parents veulent garder un peu de leur lait, en souvenir de leur bébé et de ce que leur corps a
fait pour lui.

## Bijoux souvenirs

De petites entreprises fabriquent des bijoux souvenirs, comme des pendentifs, des bagues et des perles,
avec un peu de lait maternel. Si cela vous parle, choisissez un artisan qui explique clairement comment le
lait est conservé, quelle quantité il lui faut et combien de temps cela prend. En attendant, congelez une
petite quantité dans un contenant propre et étiqueté. Rien ne presse. Vous trouverez ci-dessous quelques
artisans dont des familles nous ont parlé. Nous n'avons pas vérifié leur travail : posez-leur vos
questions avant de leur envoyer quoi que ce soit.

## Forever Butterflies (les papillons pour toujours)

Si vous nous donnez votre lait, nous vous invitons à ajouter le nom de votre bébé à notre courtepointe
[Forever Butterflies](/fr/butterflies/). Chaque papillon porte le prénom et la date de naissance d'un
bébé, et un second papillon est confectionné pour que votre famille le garde.

## D'autres façons de se souvenir

Certaines familles plantent un arbre, écrivent une lettre à leur bébé ou gardent une photo du lait
qu'elles ont donné. Ce qui vous semble juste l'est.
""",
    },
    "grief-resources": {
        "title": "Ressources pour le deuil",
        "summary": (
            "Des lignes d'écoute, des groupes et des organismes pour les familles après le décès d'un bébé."
        ),
        "body": """\
Le deuil d'un bébé peut être très solitaire. Les organismes ci-dessous comprennent ce que vous vivez, et
plusieurs ont été fondés par des parents qui l'ont vécu. Vérifiez auprès de chacun ses heures actuelles.

Si vous êtes en crise ou pensez à vous faire du mal, appelez ou textez le **988** dès maintenant, aux
États-Unis ou au Canada.
""",
    },
    "donating-after-loss": {
        "title": "Donner son lait après une perte",
        "summary": (
            "Comment se passe le don de lait après une perte : trois étapes de dépistage, la possibilité de "
            "don pour la recherche et les façons de nous faire parvenir votre lait."
        ),
        "body": """\
Certains parents endeuillés trouvent un sens à donner leur lait à des bébés qui en ont besoin. Beaucoup le
donnent en mémoire de leur bébé, comme une part de son héritage. C'est un cadeau, jamais une attente. Si
vous souhaitez donner, nous irons doucement, à votre rythme.

## Les trois étapes

1. **Un entretien téléphonique.** Une personne de notre équipe de coordination vous appelle pendant
   environ 20 minutes, vous pose quelques questions générales sur votre santé et répond aux vôtres.
2. **Un questionnaire écrit.** Des antécédents de santé à remplir sur un téléphone ou un ordinateur. Vous
   pouvez l'enregistrer et y revenir plus tard.
3. **Une prise de sang.** Un simple test sanguin, payé par la banque de lait.

## Du lait pour la recherche

Si le dépistage ne vous convient pas, ou si votre lait ne peut pas aller à des bébés, vous pourrez
peut-être le donner à la recherche, qui aide à améliorer les soins aux bébés. Notre équipe de coordination
peut vous en dire plus.

## Pourquoi une banque de lait

Une banque de lait sans but lucratif fait un dépistage auprès de chaque donneuse et pasteurise le lait
avant qu'il aille à des bébés hospitalisés. Le lait partagé de façon informelle, d'une famille à une
autre ou en ligne, n'est ni dépisté ni pasteurisé, et peut transmettre des infections ou des médicaments.
Si vous pensez partager votre lait de cette façon, parlez d'abord des risques avec votre professionnel de
la santé.

## Toute quantité est bienvenue

Il n'y a pas de minimum. Ce que vous avez mis de côté, si peu que ce soit, est bienvenu.

## Nous faire parvenir votre lait

- **Apportez-le à un dépôt**, un congélateur de collecte dans un hôpital ou une clinique.
  [Trouver un dépôt](/fr/donate/depots/).
- **Expédiez-le.** S'il n'y a pas de dépôt près de chez vous, notre équipe de coordination vous expliquera
  comment expédier du lait congelé à la banque.

Vous voulez commencer? [Dites-nous que vous aimeriez donner](/fr/donate/) et une personne de notre équipe
vous appellera. Vous habitez plus loin? Une autre [banque de lait](/fr/other-milk-banks/) est peut-être
plus proche.
""",
    },
    "other-milk-banks": {
        "title": "Autres banques de lait",
        "summary": (
            "Des banques de lait sans but lucratif en Amérique du Nord, si vous préférez donner plus près de "
            "chez vous."
        ),
        "body": """\
Si vous habitez loin de chez nous, il sera peut-être plus simple de donner à une banque de lait près de
chez vous. Les banques sans but lucratif ci-dessous font un dépistage auprès des donneuses et pasteurisent
le lait pour les bébés hospitalisés, comme nous. L'association des banques de lait humain d'Amérique du
Nord (HMBANA, selon son sigle anglais) tient la liste complète de ses banques membres.
""",
    },
    "for-professionals": {
        "title": "Pour les professionnels de la santé",
        "summary": (
            "Un guide d'accompagnement pour les infirmières, sages-femmes, médecins et consultantes en "
            "lactation qui parlent de lactation avec des parents endeuillés."
        ),
        "body": """\
Beaucoup de parents dont le bébé est décédé n'apprennent jamais que leur lait peut monter. L'entendre à
l'avance, de la bouche d'une personne bienveillante, peut leur épargner de la peur et de la douleur. Ce
guide s'adresse à toute personne qui accompagne des parents endeuillés : infirmières, sages-femmes,
médecins, consultantes en lactation, travailleurs sociaux et intervenants en soins spirituels.

## Avant d'en parler

- La lactation est probable après une perte au deuxième trimestre ou plus tard. Vérifiez l'âge
  gestationnel.
- Trouvez un moment calme et privé. Utilisez le prénom du bébé si la famille lui en a donné un.
- Ayez un [dépliant](/fr/donating-after-loss/handout/) imprimé à leur laisser.

## Ce qu'il faut aborder

- **À quoi s'attendre :** du colostrum en quelques heures, davantage de lait après 3 à 5 jours environ,
  des seins pleins ou des écoulements.
- **Les options, sans orienter :** laisser le lait se tarir, l'exprimer un certain temps, le donner, en
  garder un peu en souvenir. Dites clairement qu'il n'y a pas de bon ou de mauvais choix et que le parent
  peut changer d'avis.
- **Soins de confort :** exprimer seulement pour se soulager; un soutien-gorge qui maintient sans serrer;
  des compresses d'allaitement; des compresses froides ou des feuilles de chou réfrigérées peu de temps à
  la fois; de l'ibuprofène ou de l'acétaminophène (paracétamol) s'ils conviennent au parent; des douches
  chaudes.
- **Signes d'alerte :** de la fièvre, une zone chaude, rouge ou douloureuse sur un sein, ou l'impression
  d'avoir la grippe (l'engorgement peut boucher les canaux et causer une mastite). Dites-leur qui appeler,
  le jour comme la nuit.

## Des mots qui peuvent aider

- « Votre corps va peut-être produire du lait dans les prochains jours. Puis-je vous dire à quoi vous
  attendre et ce que vous pouvez faire? »
- « Certains parents laissent leur lait se tarir, d'autres l'expriment un certain temps, d'autres le
  donnent. Chacun de ces choix est correct. »
- Évitez les « au moins… », et ne supposez pas que le parent veut donner son lait.

## Si le parent exprime son lait ou souhaite le faire

- Exprimer environ 8 fois par jour permet d'établir une production; le parent pourra décider plus tard
  quoi faire du lait.
- Quand il est prêt à arrêter, le [plan pour arrêter le tire-lait](/fr/pumping-plan/) prépare un
  calendrier à imprimer qui supprime une séance à la fois.
- Pour donner : trois étapes (un entretien téléphonique d'environ 20 minutes, un questionnaire écrit et
  une prise de sang payée par la banque). Toute quantité est bienvenue. Voir
  [Donner son lait après une perte](/fr/donating-after-loss/).

## Après le congé de l'hôpital

Un appel quelques jours après le retour à la maison, quand le lait monte souvent, peut compter énormément.
Noter le choix du parent au dossier aide toute l'équipe soignante à le respecter.
""",
    },
}

# English name -> (French name, French description). Names are the organizations' own (their French name
# where they have one).
FR_ENTRIES = {
    "Minnesota Milk Bank for Babies": (
        "Minnesota Milk Bank for Babies",
        "Une banque de lait sans but lucratif membre de HMBANA, à Golden Valley, au Minnesota. Elle "
        "pasteurise du lait de donneuses pour les hôpitaux du Minnesota et du nord du Midwest.",
    ),
    "NorthernStar Mothers Milk Bank": (
        "NorthernStar Mothers Milk Bank",
        "Une banque de lait communautaire sans but lucratif à Calgary, avec des points de dépôt dans les "
        "provinces des Prairies.",
    ),
    "Rogers Hixon Ontario Human Milk Bank": (
        "Rogers Hixon Ontario Human Milk Bank",
        "La banque de lait de l'Ontario, à l'hôpital Mount Sinai de Toronto. Elle fournit du lait de "
        "donneuses aux unités néonatales des hôpitaux de la province.",
    ),
    "BC Women's Provincial Milk Bank": (
        "BC Women's Provincial Milk Bank",
        "Au BC Women's Hospital de Vancouver depuis 1974, et membre fondateur de HMBANA. Son lait va aux "
        "hôpitaux de toute la Colombie-Britannique.",
    ),
    "Human Milk Banking Association of North America (HMBANA)": (
        "Human Milk Banking Association of North America (HMBANA)",
        "Établit les normes de sécurité des banques de lait sans but lucratif des États-Unis et du Canada, "
        "et publie la liste de toutes ses banques membres pour que vous trouviez la plus proche.",
    ),
    "988 Suicide & Crisis Lifeline": (
        "988 Suicide & Crisis Lifeline",
        "Un soutien gratuit et confidentiel à toute heure, le jour comme la nuit, si vous êtes en détresse "
        "(aux États-Unis).",
    ),
    "9-8-8 Suicide Crisis Helpline": (
        "9-8-8 : Ligne d'aide en cas de crise de suicide",
        "La ligne de crise du Canada, ouverte jour et nuit, en français et en anglais.",
    ),
    "National Maternal Mental Health Hotline": (
        "National Maternal Mental Health Hotline",
        "Des conseillères pour toute personne enceinte ou qui l'a été récemment, y compris après une perte. "
        "Ouverte jour et nuit, par appel ou par texto.",
    ),
    "Postpartum Support International": (
        "Postpartum Support International",
        "Une ligne d'aide et des groupes de soutien gratuits en ligne, dont des groupes pour les parents "
        "après la perte d'une grossesse ou d'un bébé.",
    ),
    "Star Legacy Foundation": (
        "Star Legacy Foundation",
        "Du soutien aux familles après une mortinaissance ou le décès d'un bébé, et de la recherche pour les "
        "prévenir.",
    ),
    "Share Pregnancy and Infant Loss Support": (
        "Share Pregnancy and Infant Loss Support",
        "Du soutien par les pairs pour les parents et les familles après une fausse couche, une "
        "mortinaissance ou le décès d'un bébé.",
    ),
    "Minnesota Center for Stillbirth and Infant Death": (
        "Minnesota Center for Stillbirth and Infant Death",
        "Un programme de la Star Legacy Foundation pour tout le Minnesota. Des infirmières et des "
        "travailleurs sociaux contactent gratuitement les familles du Minnesota après le décès d'un bébé.",
    ),
    "Pregnancy and Infant Loss (PAIL) Network": (
        "Réseau PAIL (Pregnancy and Infant Loss Network)",
        "Du soutien gratuit par les pairs pour les familles de l'Ontario après la perte d'une grossesse ou "
        "d'un bébé.",
    ),
    "Mama Milk Fairy": ("Mama Milk Fairy", "Fabrique des bijoux souvenirs avec du lait maternel."),
    "The Milky Fern": (
        "The Milky Fern",
        "Fabrique des bijoux et d'autres souvenirs avec du lait maternel ou des cendres de crémation.",
    ),
}


# Phone lines whose starter text has words in it.
PHONES = {
    "988 (call or text)": {"es": "988 (llamada o mensaje de texto)", "fr": "988 (appel ou texto)"},
}


def _starter_pages():
    """slug -> {field: English starter text as 0003 left it}."""
    pages = {page["slug"]: dict(page) for page in STARTER.PAGES}
    for slug, field, _old, new in CORRECTED._texts():
        pages[slug][field] = new
    return pages


def _starter_entries():
    """(model name, English name, English description, English phone) for every starter list entry and
    keepsake maker (which has no phone)."""
    for model_name, rows in (
        ("MilkBank", STARTER.MILK_BANKS),
        ("GriefResource", STARTER.GRIEF_RESOURCES),
        ("KeepsakeMaker", CORRECTED.KEEPSAKE_MAKERS),
    ):
        for row in rows:
            yield model_name, row["name"], row["description"], row.get("phone", "")


def _fill(obj, language, english, translated) -> dict:
    """The `translated` fields for `language` where the English is still the starter text and the language
    is empty, with that language's review box ticked; {} if there is none."""
    updates = {
        f"{field}_{language}": text
        for field, text in translated.items()
        if getattr(obj, field) == english[field] and not getattr(obj, f"{field}_{language}")
    }
    return {**updates, f"review_{language}": True} if updates else {}


def add_translations(apps, schema_editor):
    alias = schema_editor.connection.alias
    # The English text, as it was before the language columns existed (new columns hold NULL, or "" for
    # fields with that default).
    for model_name, fields in TRANSLATED.items():
        model = apps.get_model("resources", model_name)
        for field in fields:
            empty = Q(**{f"{field}_en__isnull": True}) | Q(**{f"{field}_en": ""})
            model.objects.using(alias).filter(empty).update(**{f"{field}_en": F(field)})

    # update(), not save(): adding a translation must not change the page's "last updated" date.
    languages = {"es": (ES_PAGES, ES_ENTRIES), "fr": (FR_PAGES, FR_ENTRIES)}
    Page = apps.get_model("resources", "Page")
    starter = _starter_pages()
    for page in Page.objects.using(alias).filter(slug__in=starter):
        updates = {}
        for language, (pages, _entries) in languages.items():
            updates.update(_fill(page, language, starter[page.slug], pages[page.slug]))
        if updates:
            Page.objects.using(alias).filter(pk=page.pk).update(**updates)
    for model_name, name, description, phone in _starter_entries():
        model = apps.get_model("resources", model_name)
        english = {"name": name, "description": description, "phone": phone}
        for obj in model.objects.using(alias).filter(name=name):
            updates = {}
            for language, (_pages, entries) in languages.items():
                translated_name, translated_description = entries[name]
                translated = {"name": translated_name, "description": translated_description}
                if phone in PHONES:
                    translated["phone"] = PHONES[phone][language]
                updates.update(_fill(obj, language, english, translated))
            if updates:
                model.objects.using(alias).filter(pk=obj.pk).update(**updates)


def keep_only_english_in_the_index(apps, schema_editor):
    """Going back: the index had one language, and its old constraint allows one row per page."""
    SearchDocument = apps.get_model("resources", "SearchDocument")
    SearchDocument.objects.using(schema_editor.connection.alias).exclude(language="en").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("resources", "0003_corrections_and_keepsake_makers"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="searchdocument",
            name="resources_searchdocument_unique_source_key",
        ),
        migrations.AddField(
            model_name="griefresource",
            name="description_en",
            field=models.TextField(
                blank=True,
                default="",
                help_text="Two or three plain sentences; no Markdown.",
                max_length=600,
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="griefresource",
            name="description_es",
            field=models.TextField(
                blank=True,
                default="",
                help_text="Two or three plain sentences; no Markdown.",
                max_length=600,
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="griefresource",
            name="description_fr",
            field=models.TextField(
                blank=True,
                default="",
                help_text="Two or three plain sentences; no Markdown.",
                max_length=600,
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="griefresource",
            name="name_en",
            field=models.CharField(max_length=150, null=True),
        ),
        migrations.AddField(
            model_name="griefresource",
            name="name_es",
            field=models.CharField(max_length=150, null=True),
        ),
        migrations.AddField(
            model_name="griefresource",
            name="name_fr",
            field=models.CharField(max_length=150, null=True),
        ),
        migrations.AddField(
            model_name="griefresource",
            name="review_es",
            field=models.BooleanField(
                default=False,
                help_text=(
                "Ticked for our starter translations, and again when the English text changes. Untick it "
                "once someone at the bank who reads Spanish has checked the Spanish text."
            ),
                verbose_name="Spanish text needs review",
            ),
        ),
        migrations.AddField(
            model_name="griefresource",
            name="review_fr",
            field=models.BooleanField(
                default=False,
                help_text=(
                "Ticked for our starter translations, and again when the English text changes. Untick it "
                "once someone at the bank who reads French has checked the French text."
            ),
                verbose_name="French text needs review",
            ),
        ),
        migrations.AddField(
            model_name="keepsakemaker",
            name="description_en",
            field=models.TextField(
                blank=True,
                default="",
                help_text="One or two plain sentences; no Markdown.",
                max_length=400,
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="keepsakemaker",
            name="description_es",
            field=models.TextField(
                blank=True,
                default="",
                help_text="One or two plain sentences; no Markdown.",
                max_length=400,
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="keepsakemaker",
            name="description_fr",
            field=models.TextField(
                blank=True,
                default="",
                help_text="One or two plain sentences; no Markdown.",
                max_length=400,
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="keepsakemaker",
            name="name_en",
            field=models.CharField(max_length=150, null=True),
        ),
        migrations.AddField(
            model_name="keepsakemaker",
            name="name_es",
            field=models.CharField(max_length=150, null=True),
        ),
        migrations.AddField(
            model_name="keepsakemaker",
            name="name_fr",
            field=models.CharField(max_length=150, null=True),
        ),
        migrations.AddField(
            model_name="keepsakemaker",
            name="review_es",
            field=models.BooleanField(
                default=False,
                help_text=(
                "Ticked for our starter translations, and again when the English text changes. Untick it "
                "once someone at the bank who reads Spanish has checked the Spanish text."
            ),
                verbose_name="Spanish text needs review",
            ),
        ),
        migrations.AddField(
            model_name="keepsakemaker",
            name="review_fr",
            field=models.BooleanField(
                default=False,
                help_text=(
                "Ticked for our starter translations, and again when the English text changes. Untick it "
                "once someone at the bank who reads French has checked the French text."
            ),
                verbose_name="French text needs review",
            ),
        ),
        migrations.AddField(
            model_name="milkbank",
            name="description_en",
            field=models.TextField(
                blank=True,
                default="",
                help_text="Two or three plain sentences; no Markdown.",
                max_length=600,
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="milkbank",
            name="description_es",
            field=models.TextField(
                blank=True,
                default="",
                help_text="Two or three plain sentences; no Markdown.",
                max_length=600,
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="milkbank",
            name="description_fr",
            field=models.TextField(
                blank=True,
                default="",
                help_text="Two or three plain sentences; no Markdown.",
                max_length=600,
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="milkbank",
            name="name_en",
            field=models.CharField(max_length=150, null=True),
        ),
        migrations.AddField(
            model_name="milkbank",
            name="name_es",
            field=models.CharField(max_length=150, null=True),
        ),
        migrations.AddField(
            model_name="milkbank",
            name="name_fr",
            field=models.CharField(max_length=150, null=True),
        ),
        migrations.AddField(
            model_name="milkbank",
            name="review_es",
            field=models.BooleanField(
                default=False,
                help_text=(
                "Ticked for our starter translations, and again when the English text changes. Untick it "
                "once someone at the bank who reads Spanish has checked the Spanish text."
            ),
                verbose_name="Spanish text needs review",
            ),
        ),
        migrations.AddField(
            model_name="milkbank",
            name="review_fr",
            field=models.BooleanField(
                default=False,
                help_text=(
                "Ticked for our starter translations, and again when the English text changes. Untick it "
                "once someone at the bank who reads French has checked the French text."
            ),
                verbose_name="French text needs review",
            ),
        ),
        migrations.AddField(
            model_name="page",
            name="body_en",
            field=models.TextField(
                blank=True,
                default="",
                help_text="Markdown: “## Heading”, “**bold**”, “- list item”, “[link text](https://example.org)”. HTML and scripts are removed when the page is shown.",
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="page",
            name="body_es",
            field=models.TextField(
                blank=True,
                default="",
                help_text="Markdown: “## Heading”, “**bold**”, “- list item”, “[link text](https://example.org)”. HTML and scripts are removed when the page is shown.",
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="page",
            name="body_fr",
            field=models.TextField(
                blank=True,
                default="",
                help_text="Markdown: “## Heading”, “**bold**”, “- list item”, “[link text](https://example.org)”. HTML and scripts are removed when the page is shown.",
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="page",
            name="review_es",
            field=models.BooleanField(
                default=False,
                help_text=(
                "Ticked for our starter translations, and again when the English text changes. Untick it "
                "once someone at the bank who reads Spanish has checked the Spanish text."
            ),
                verbose_name="Spanish text needs review",
            ),
        ),
        migrations.AddField(
            model_name="page",
            name="review_fr",
            field=models.BooleanField(
                default=False,
                help_text=(
                "Ticked for our starter translations, and again when the English text changes. Untick it "
                "once someone at the bank who reads French has checked the French text."
            ),
                verbose_name="French text needs review",
            ),
        ),
        migrations.AddField(
            model_name="page",
            name="summary_en",
            field=models.CharField(
                help_text="One or two sentences, shown in search results, on the home page and to search engines.",
                max_length=300,
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="page",
            name="summary_es",
            field=models.CharField(
                help_text="One or two sentences, shown in search results, on the home page and to search engines.",
                max_length=300,
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="page",
            name="summary_fr",
            field=models.CharField(
                help_text="One or two sentences, shown in search results, on the home page and to search engines.",
                max_length=300,
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="page",
            name="title_en",
            field=models.CharField(max_length=120, null=True),
        ),
        migrations.AddField(
            model_name="page",
            name="title_es",
            field=models.CharField(max_length=120, null=True),
        ),
        migrations.AddField(
            model_name="page",
            name="title_fr",
            field=models.CharField(max_length=120, null=True),
        ),
        migrations.AddField(
            model_name="searchdocument",
            name="in_english",
            field=models.BooleanField(
                default=False, help_text="Its text is the English one: not translated into this language yet."
            ),
        ),
        migrations.AddField(
            model_name="searchdocument",
            name="language",
            field=models.CharField(
                default="en", help_text="Each page is indexed once per language of the site.", max_length=10
            ),
        ),
        migrations.AddConstraint(
            model_name="searchdocument",
            constraint=models.UniqueConstraint(
                fields=("language", "source", "key"),
                name="resources_searchdocument_unique_language_source_key",
            ),
        ),
        migrations.AddField(
            model_name="griefresource",
            name="phone_en",
            field=models.CharField(blank=True, default="", max_length=60, null=True),
        ),
        migrations.AddField(
            model_name="griefresource",
            name="phone_es",
            field=models.CharField(blank=True, default="", max_length=60, null=True),
        ),
        migrations.AddField(
            model_name="griefresource",
            name="phone_fr",
            field=models.CharField(blank=True, default="", max_length=60, null=True),
        ),
        migrations.AddField(
            model_name="milkbank",
            name="phone_en",
            field=models.CharField(blank=True, default="", max_length=60, null=True),
        ),
        migrations.AddField(
            model_name="milkbank",
            name="phone_es",
            field=models.CharField(blank=True, default="", max_length=60, null=True),
        ),
        migrations.AddField(
            model_name="milkbank",
            name="phone_fr",
            field=models.CharField(blank=True, default="", max_length=60, null=True),
        ),
        migrations.RunPython(add_translations, keep_only_english_in_the_index),
    ]
