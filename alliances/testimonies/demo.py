"""Demo testimonies: fictional stories written for the platform, across the four types.

Every organisation and person here is invented (« (fictif) » in the names, and the « Témoignage
fictif » badge on the page). The stories draw on the success factors practitioners cite — time,
trust, reporting back, dedicated people, mutual demands, the human relationship — in our own
words. Twelve are published; one waits in the moderation queue, one was returned for changes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from django.db import transaction

from alliances.territories.models import Region
from alliances.testimonies import services
from alliances.testimonies.models import Testimony

if TYPE_CHECKING:
    from alliances.accounts.models import User

FICTION_NOTE: Final = "*Témoignage fictif, écrit pour la démonstration de la plateforme : les organisations et les personnes citées n’existent pas.*"

PUBLISHED: Final[tuple[dict[str, Any], ...]] = (
    {
        "title": "Trois ans de soutien financier pour l’aide aux devoirs",
        "source_kind": "duo",
        "association_name": "Les Cahiers ouverts (fictif)",
        "company_name": "Imprimerie Marchal (fictive)",
        "partnership_type": "mecenat",
        "mecenat_form": "financier",
        "region": "44",
        "domain": "education",
        "summary": "Une imprimerie de quarante salariés finance pendant trois ans l’aide aux devoirs d’une association de quartier. Un engagement pluriannuel, sans fléchage, qui a changé la façon dont l’association prépare ses rentrées.",
        "story": """Les Cahiers ouverts accueillent chaque soir une soixantaine d’élèves du CP à la troisième dans deux salles prêtées par la mairie. Pendant longtemps, l’association vivait d’appels à projets d’un an : chaque rentrée recommençait avec la même question, « aurons-nous de quoi payer la coordinatrice ? ».

Le dirigeant de l’Imprimerie Marchal a connu l’association par un de ses salariés, bénévole le mardi soir. Après deux rencontres, l’entreprise a proposé un don de 8 000 € par an pendant trois ans, versé en début d’année scolaire et **non fléché** : l’association décide elle-même de son usage.

Ce choix a tout changé. La coordinatrice a pu être embauchée en CDI, et l’équipe a enfin pris le temps de construire un vrai programme avec les enseignants du collège voisin.

En retour, l’association envoie chaque trimestre une page de nouvelles et invite les salariés de l’imprimerie à la fête de fin d’année. Le bilan annuel est présenté de vive voix au comité de direction, chiffres et témoignages d’élèves à l’appui.

La deuxième année a été plus tendue : les commandes de l’imprimerie ont baissé et le versement a été retardé de deux mois. Dirigeant et présidente en ont parlé franchement, et le calendrier a été adapté plutôt que le montant réduit.""",
        "success_factors": "Un engagement sur trois ans, annoncé dès le départ\nUn don non fléché : l’association garde la main sur son projet\nUn bilan présenté chaque année en personne, pas seulement par écrit\nUn salarié bénévole qui fait le lien entre les deux mondes",
        "difficult_moments": "Un versement retardé quand l’activité de l’entreprise a ralenti\nLa tentation, au début, de demander un logo sur tous les supports",
        "quotes": (
            (
                "Savoir qu’on avait trois ans devant nous, c’était la première fois. On a pu recruter au lieu de bricoler.",
                "Présidente",
                "Les Cahiers ouverts (fictif)",
            ),
            (
                "Nous ne voulions pas choisir à la place de l’association. Notre rôle, c’est de tenir parole sur la durée.",
                "Dirigeant",
                "Imprimerie Marchal (fictive)",
            ),
        ),
    },
    {
        "title": "Des ordinateurs reconditionnés pour l’inclusion numérique",
        "source_kind": "association",
        "association_name": "Clic solidaire (fictif)",
        "company_name": "Assurances du Val (fictive)",
        "partnership_type": "mecenat",
        "mecenat_form": "nature",
        "region": "32",
        "domain": "exclusion",
        "summary": "Une compagnie d’assurances renouvelle son parc informatique ; une association de médiation numérique reconditionne les machines et les remet, avec une formation, à des familles et à des demandeurs d’emploi.",
        "story": """Clic solidaire anime des ateliers numériques dans quatre centres sociaux. Le même constat revenait sans cesse : les personnes apprennent à faire leurs démarches en ligne, puis rentrent chez elles… sans ordinateur.

Lorsque les Assurances du Val ont annoncé le renouvellement de 300 postes, leur responsable RSE nous a contactés. Plutôt que de confier les machines à un recycleur, l’entreprise a proposé de nous les donner, effacées et avec leurs chargeurs.

Le don en nature n’est pas « gratuit » pour une association : il faut stocker, tester, installer un système libre, remplacer les batteries fatiguées. Nous l’avons dit clairement dès le premier rendez-vous, et l’entreprise a accepté de livrer les ordinateurs par lots de cinquante, au rythme de notre atelier de reconditionnement.

Chaque ordinateur est remis au cours d’une séance de prise en main de deux heures. En dix-huit mois, 270 foyers en ont bénéficié, dont beaucoup orientés par les conseillers emploi du territoire.

Nous envoyons à l’entreprise un court bilan tous les six mois : nombre de machines remises, profils des bénéficiaires, deux ou trois histoires. Ces retours ont convaincu une deuxième direction régionale de l’entreprise de faire de même.""",
        "success_factors": "Dire dès le départ ce que coûte un don en nature à l’association\nDes livraisons au rythme de l’atelier, pas d’un coup\nUn bilan régulier, court et concret",
        "difficult_moments": "Le premier lot, livré sans chargeurs, a immobilisé l’atelier trois semaines",
        "quotes": (
            (
                "Un ordinateur sans accompagnement finit dans un placard. C’est la séance de remise qui fait la différence.",
                "Coordinateur des ateliers",
                "Clic solidaire (fictif)",
            ),
        ),
    },
    {
        "title": "Un entrepôt prêté à une épicerie solidaire",
        "source_kind": "company",
        "association_name": "Épicerie du Pont-Neuf (fictive)",
        "company_name": "Logistique Garonne (fictive)",
        "partnership_type": "mecenat",
        "mecenat_form": "logistique",
        "region": "76",
        "domain": "pouvoir_achat",
        "summary": "Une entreprise de logistique met gratuitement à disposition 200 m² d’entrepôt et un chariot élévateur à une épicerie solidaire, qui a pu doubler ses volumes de produits frais.",
        "story": """Notre entrepôt avait une travée sous-utilisée depuis la perte d’un client. De son côté, l’Épicerie du Pont-Neuf, qui vend à petit prix à des familles orientées par les travailleurs sociaux, refusait des dons de produits frais faute de chambre froide et de place.

Nous avons commencé modestement : 200 m² et un créneau de réception le mercredi matin, encadré par un de nos chefs d’équipe. Une convention d’un an précise les horaires, l’assurance et les règles de sécurité du site. Rien de spectaculaire, mais c’est ce cadre qui a permis que cela dure.

Au bout de six mois, l’épicerie a doublé ses volumes de fruits et légumes. Les bénévoles ont été formés par nos caristes à la conduite en sécurité ; plusieurs de nos salariés viennent désormais les aider le mercredi, sur leur temps de travail.

Il y a eu des frictions : un mercredi de forte activité, nos équipes ont eu le sentiment que les bénévoles « gênaient ». Nous avons revu le plan de circulation ensemble, avec l’association, au lieu de réduire le créneau.

Chaque trimestre, l’épicerie nous transmet le nombre de familles servies et les tonnages. Ces chiffres sont affichés dans la salle de pause : nos salariés savent à quoi sert la travée.""",
        "success_factors": "Une convention écrite, simple, sur les horaires et la sécurité\nUn chef d’équipe référent, toujours le même\nDes chiffres partagés avec tous les salariés, pas seulement la direction",
        "difficult_moments": "La cohabitation entre bénévoles et caristes les jours de forte activité\nLa question de l’assurance, qui a retardé le démarrage d’un mois",
        "quotes": (
            (
                "On pensait prêter de la place. On a découvert que nos salariés avaient envie de s’impliquer.",
                "Directeur de site",
                "Logistique Garonne (fictive)",
            ),
            (
                "Avoir enfin un vrai lieu de stockage, c’est pouvoir dire oui aux producteurs.",
                "Trésorière",
                "Épicerie du Pont-Neuf (fictive)",
            ),
        ),
    },
    {
        "title": "Des ingénieurs bénévoles pour rénover les logements de propriétaires modestes",
        "source_kind": "duo",
        "association_name": "Toits solidaires (fictif)",
        "company_name": "Bureau d’études Thermia (fictif)",
        "partnership_type": "mecenat",
        "mecenat_form": "competences",
        "region": "84",
        "domain": "logement",
        "summary": "Des thermiciens d’un bureau d’études réalisent, sur leur temps de travail, les diagnostics énergétiques des logements que l’association aide à rénover.",
        "story": """Toits solidaires accompagne des propriétaires âgés et modestes, souvent en zone rurale, dont les maisons sont devenues des passoires thermiques. Le point de blocage était toujours le même : un diagnostic sérieux coûte cher, et sans lui, impossible de monter les dossiers d’aides.

Thermia, bureau d’études de 120 personnes, cherchait à donner du sens à son engagement au-delà du mécénat financier. Nous avons construit ensemble un **mécénat de compétences** : chaque ingénieur volontaire consacre jusqu’à cinq jours par an aux visites et aux rapports, sur son temps de travail.

Le début a été plus lent que prévu. Nos ingénieurs avaient l’habitude de rapports de cinquante pages pour des maîtres d’ouvrage professionnels ; l’association avait besoin de quatre pages lisibles par une personne de 80 ans et par un artisan. Il a fallu réécrire le modèle de rapport à deux.

Aujourd’hui, une binôme salariée de l’association et ingénieure de Thermia fait chaque visite. Les propriétaires sont rassurés par la présence de la chargée d’accompagnement, qu’ils connaissent ; les ingénieurs apprennent à expliquer simplement.

Deux fois par an, les bénévoles de Thermia et l’équipe de l’association se retrouvent pour faire le point : logements visités, travaux réalisés, gains mesurés sur les factures.""",
        "success_factors": "Des visites en binôme association–entreprise\nUn format de rapport construit ensemble, adapté aux habitants\nDes volontaires, jamais des salariés désignés d’office\nDeux points d’étape par an avec des chiffres de gains réels",
        "difficult_moments": "Des rapports d’abord trop techniques pour les propriétaires\nLes périodes de forte charge du bureau d’études, où les visites étaient reportées",
        "quotes": (
            (
                "J’ai plus appris sur mon métier en expliquant une pompe à chaleur à Mme R. qu’en cinq ans de réunions de chantier.",
                "Ingénieure thermicienne",
                "Bureau d’études Thermia (fictif)",
            ),
            (
                "Ils ont accepté d’être exigeants avec nous, et nous avec eux. C’est ce qui rend le partenariat solide.",
                "Directrice",
                "Toits solidaires (fictif)",
            ),
            (
                "Pour la première fois, quelqu’un m’a expliqué ma maison.",
                "Propriétaire accompagnée",
                "",
            ),
        ),
    },
    {
        "title": "Accueillir des salariés en situation de handicap : ce qu’une association nous a appris",
        "source_kind": "company",
        "association_name": "Handi-Travail Bourgogne (fictif)",
        "company_name": "Laiterie des Monts (fictive)",
        "partnership_type": "pratiques_responsables",
        "mecenat_form": "",
        "region": "27",
        "domain": "handicap",
        "summary": "Une laiterie de 250 salariés fait appel à l’expertise d’une association spécialisée pour revoir ses recrutements, l’aménagement de ses postes et la formation de ses managers.",
        "story": """Nous étions loin de notre obligation d’emploi de travailleurs handicapés, et surtout nous ne savions pas par où commencer. Notre service RH pensait « recrutement » ; Handi-Travail Bourgogne nous a d’abord fait parler de nos salariés déjà en poste, dont plusieurs cachaient une maladie chronique par peur d’être mis à l’écart.

L’association a conduit pendant six mois un diagnostic de nos pratiques : fiches de poste, parcours d’accueil, ergonomie des lignes de conditionnement. Elle a ensuite formé nos 30 managers, par petits groupes, avec des mises en situation.

Ce n’était pas du mécénat : nous avons payé cet accompagnement, et l’association nous a dit des choses que nous n’avions pas envie d’entendre, notamment sur la façon dont nous gérions les retours après arrêt maladie. C’est justement parce qu’elle est experte et indépendante qu’elle a pu le faire.

Trois ans plus tard, onze salariés ont fait reconnaître leur handicap, six postes ont été aménagés, et nous avons recruté quatre personnes orientées par l’association. Le référent handicap que nous avons nommé travaille toujours avec elle.

Le plus dur a été de tenir dans la durée, quand l’attention de la direction s’est portée sur d’autres sujets. Un comité de suivi semestriel, avec l’association, nous y a obligés.""",
        "success_factors": "Reconnaître que l’association est l’experte du sujet, pas l’entreprise\nCommencer par les salariés déjà en poste\nUn référent interne nommé et formé\nUn comité de suivi tous les six mois, même quand l’actualité est ailleurs",
        "difficult_moments": "Entendre un diagnostic sévère sur nos pratiques de retour au travail\nGarder l’attention de la direction au-delà de la première année",
        "quotes": (
            (
                "Nous ne venons pas donner une bonne conscience, nous venons changer des pratiques. Cela demande d’être exigeant des deux côtés.",
                "Chargé de mission entreprises",
                "Handi-Travail Bourgogne (fictif)",
            ),
            (
                "J’ai osé en parler parce que mon chef avait suivi la formation.",
                "Opératrice de conditionnement",
                "Laiterie des Monts (fictive)",
            ),
        ),
    },
    {
        "title": "Réduire les déchets d’un hôtel avec une association d’éducation à l’environnement",
        "source_kind": "association",
        "association_name": "Estran vivant (fictif)",
        "company_name": "Hôtel-restaurant Le Grand Large (fictif)",
        "partnership_type": "pratiques_responsables",
        "mecenat_form": "",
        "region": "53",
        "domain": "environnement",
        "summary": "Une association de protection du littoral accompagne un hôtel-restaurant de bord de mer pour réduire ses déchets et sensibiliser ses clients, saison après saison.",
        "story": """Estran vivant organise depuis quinze ans des sorties nature et des ramassages de déchets sur les plages. En 2021, le directeur du Grand Large est venu nous voir après une marée particulièrement chargée en plastiques : « Une partie vient de chez nous, aidez-nous à changer. »

Nous avons passé une journée entière dans les cuisines, au bar et dans les chambres. Le diagnostic a montré que les dosettes, les gobelets de la terrasse et les restes du buffet du petit-déjeuner représentaient l’essentiel du problème.

Ensemble, nous avons fixé trois objectifs mesurables pour la saison suivante et formé l’équipe saisonnière à chaque prise de poste, en avril et en juillet. L’hôtel a remplacé les dosettes, installé des fontaines à eau et revu les quantités du buffet. Nous animons une sortie « laisse de mer » par mois pour ses clients.

La difficulté, c’est le renouvellement des équipes : chaque saison, la moitié du personnel est nouvelle. Nous avons donc écrit avec les chefs de service un guide d’une page par poste, et c’est un salarié permanent de l’hôtel qui fait maintenant la formation, avec nous en appui.

Les déchets ont baissé de 40 % en deux saisons. L’hôtel rémunère notre accompagnement, ce qui nous a permis de créer un poste d’animatrice à l’année.""",
        "success_factors": "Un diagnostic fait sur place, poste par poste\nTrois objectifs chiffrés, pas davantage\nTransmettre la formation à un salarié permanent de l’entreprise",
        "difficult_moments": "Le renouvellement des saisonniers, qui oblige à tout réexpliquer chaque année\nUne première saison où les clients se plaignaient de la disparition des dosettes",
        "quotes": (
            (
                "Le directeur est venu nous voir avec un sac de déchets ramassés devant son hôtel. C’était le début d’une vraie confiance.",
                "Animatrice nature",
                "Estran vivant (fictif)",
            ),
            (
                "On croyait que l’écologie allait nous coûter des clients. Ils nous en parlent maintenant dans leurs avis.",
                "Directeur",
                "Hôtel-restaurant Le Grand Large (fictif)",
            ),
        ),
    },
    {
        "title": "Recruter autrement : des parcours d’insertion dans une chaîne de magasins",
        "source_kind": "duo",
        "association_name": "Tremplin Emploi Est parisien (fictif)",
        "company_name": "Magasins Ferrand (fictifs)",
        "partnership_type": "pratiques_responsables",
        "mecenat_form": "",
        "region": "11",
        "domain": "emploi",
        "summary": "Une association d’insertion aide une enseigne de bricolage à revoir ses recrutements : entretiens sans CV, tutorat, suivi pendant la période d’essai.",
        "story": """Les Magasins Ferrand peinaient à recruter des vendeurs et des magasiniers ; Tremplin Emploi accompagnait des personnes motivées, souvent sans diplôme, que les offres d’emploi classiques écartaient d’emblée.

Le partenariat a commencé par une demande simple de l’enseigne : « Envoyez-nous des candidats. » L’association a proposé autre chose : regarder d’abord comment l’entreprise recrutait. Les annonces exigeaient un bac et trois ans d’expérience pour des postes qui s’apprennent en quelques semaines.

En un an, nous avons ensemble réécrit les annonces, mis en place des journées de découverte des métiers en magasin, et remplacé le CV par une mise en situation pour une partie des postes. Chaque nouvelle recrue a un tuteur volontaire dans son équipe, formé par l’association.

Pendant la période d’essai, la conseillère de l’association reste joignable par la recrue comme par le manager. C’est souvent là que tout se joue : un problème de garde d’enfant ou de transport, réglé à temps, évite une rupture.

Sur 48 personnes recrutées ainsi en deux ans, 39 sont toujours en poste. L’enseigne a étendu la méthode à trois autres magasins, et l’association intervient désormais dans la formation des directeurs.""",
        "success_factors": "Interroger les pratiques de recrutement avant d’envoyer des candidats\nDes tuteurs volontaires et formés\nUne conseillère joignable pendant toute la période d’essai\nDes chiffres de maintien dans l’emploi suivis ensemble",
        "difficult_moments": "Convaincre les directeurs de magasin de renoncer au CV\nTrois ruptures de période d’essai la première année, vécues comme un échec par les équipes",
        "quotes": (
            (
                "Ce qui m’a fait rester, c’est mon tuteur. Et savoir que je pouvais appeler Nadia si ça n’allait pas.",
                "Magasinier recruté en 2022",
                "Magasins Ferrand (fictifs)",
            ),
            (
                "L’entreprise nous demandait des candidats ; nous lui avons proposé de changer la porte d’entrée.",
                "Directrice",
                "Tremplin Emploi Est parisien (fictif)",
            ),
        ),
    },
    {
        "title": "Une conciergerie solidaire au cœur d’une zone d’activité",
        "source_kind": "duo",
        "association_name": "Les Services d’ici (fictif)",
        "company_name": "Club des entreprises du parc des Vignes (fictif)",
        "partnership_type": "cooperation_economique",
        "mecenat_form": "",
        "region": "75",
        "domain": "developpement_economique",
        "summary": "Une structure d’insertion et un club de vingt entreprises créent ensemble une conciergerie pour les salariés d’une zone d’activité. Une offre commune, des emplois d’insertion, un service qui n’existait pas.",
        "story": """Le parc des Vignes compte 1 800 salariés, aucun commerce et une seule ligne de bus. Le club des entreprises voulait améliorer la vie quotidienne des salariés pour attirer des candidats ; Les Services d’ici, structure d’insertion par l’activité économique, cherchait de nouveaux supports d’activité pour ses salariés en parcours.

Pendant un an, nous avons travaillé à une offre commune : pressing, retouches, dépôt de colis, petits travaux de jardinage et lavage de voitures sur le parking. Le club apporte le local, la communication auprès des salariés et un abonnement payé par chaque entreprise adhérente ; l’association recrute, encadre et fait tourner le service.

Ce n’est ni un don ni une prestation classique : les deux partenaires ont investi, partagent le risque et décident ensemble des tarifs, dans un comité mensuel.

Le démarrage a été difficile : trop peu d’entreprises abonnées la première année, et un déficit que l’association ne pouvait pas porter seule. Le club a accepté de garantir le loyer pendant dix-huit mois, le temps de trouver l’équilibre.

Aujourd’hui, la conciergerie emploie huit personnes en parcours d’insertion, dont la moitié trouvent ensuite un emploi dans les entreprises du parc. C’est peut-être le résultat dont nous sommes le plus fiers.""",
        "success_factors": "Une année entière pour construire l’offre avant de la lancer\nDes décisions prises ensemble dans un comité mensuel\nUn partage du risque écrit noir sur blanc\nDes passerelles vers l’emploi dans les entreprises du parc",
        "difficult_moments": "Une première année déficitaire, faute d’abonnés\nDes désaccords sur les tarifs entre le club et l’association",
        "quotes": (
            (
                "Nos salariés en parcours ne sont plus « les gens de l’insertion » : ce sont ceux qui font tourner la conciergerie du parc.",
                "Encadrante technique",
                "Les Services d’ici (fictif)",
            ),
            (
                "Quatre de nos recrutements de l’an dernier viennent de la conciergerie. On ne l’avait pas prévu.",
                "Président",
                "Club des entreprises du parc des Vignes (fictif)",
            ),
        ),
    },
    {
        "title": "Un transport à la demande pour les personnes âgées isolées",
        "source_kind": "association",
        "association_name": "Mobilité rurale solidaire (fictive)",
        "company_name": "Taxis berrichons (fictifs)",
        "partnership_type": "cooperation_economique",
        "mecenat_form": "",
        "region": "24",
        "domain": "mobilite",
        "summary": "Une association de transport solidaire et une entreprise de taxis construisent une offre commune pour les habitants âgés de vingt communes rurales, en lien avec la communauté de communes.",
        "story": """Notre association organise depuis dix ans des trajets assurés par des chauffeurs bénévoles : courses, rendez-vous médicaux, visites. Mais nos bénévoles vieillissent, et certains trajets — hôpital à 60 km, horaires très matinaux — dépassaient ce que nous pouvions demander à des bénévoles.

Plutôt que de voir la compagnie de taxis locale comme une concurrente, nous sommes allés la rencontrer. Son gérant avait l’inverse du problème : des véhicules immobilisés en milieu de journée, et une clientèle âgée qu’il connaissait mal.

Nous avons construit une offre à deux niveaux : les trajets courts et réguliers restent assurés par nos bénévoles ; les trajets longs ou médicaux sont confiés aux taxis, à un tarif négocié, avec une participation de la communauté de communes. Une seule plateforme téléphonique, tenue par l’association, oriente chaque demande.

Il a fallu du temps pour que les chauffeurs professionnels et les bénévoles se fassent confiance. Une rencontre par trimestre, autour d’un café, a fait plus que toutes les conventions.

En deux ans, le nombre de trajets a doublé, et plus aucune demande médicale n’est refusée faute de chauffeur.""",
        "success_factors": "Voir l’entreprise locale comme un partenaire, pas comme un concurrent\nUne porte d’entrée unique pour les habitants\nDes rencontres régulières entre chauffeurs bénévoles et professionnels",
        "difficult_moments": "La crainte des bénévoles d’être remplacés par des professionnels\nUn financement public qui a mis un an à se confirmer",
        "quotes": (
            (
                "Les bénévoles gardent ce qu’ils font de mieux : le lien. Les taxis prennent ce qui demande un professionnel.",
                "Présidente",
                "Mobilité rurale solidaire (fictive)",
            ),
        ),
    },
    {
        "title": "Des légumes d’insertion dans les cantines scolaires",
        "source_kind": "company",
        "association_name": "Jardins de la vallée (fictifs)",
        "company_name": "Restauration collective normande (fictive)",
        "partnership_type": "cooperation_economique",
        "mecenat_form": "",
        "region": "28",
        "domain": "developpement_economique",
        "summary": "Une entreprise de restauration collective et un chantier d’insertion maraîcher bâtissent une filière locale de légumes pour 40 cantines, avec des volumes et des prix fixés sur trois ans.",
        "story": """Nos clients, des communes, nous demandaient davantage de produits locaux. Les Jardins de la vallée, chantier d’insertion maraîcher, vendaient surtout en paniers et cherchaient des débouchés réguliers pour stabiliser leurs emplois.

Le premier obstacle était très concret : nos cuisines centrales travaillent des légumes calibrés, livrés à jour fixe, alors qu’un jardin produit selon la météo. Nous avons passé une saison entière à nous comprendre. L’association a appris nos contraintes de traçabilité ; nous avons appris qu’un menu peut s’adapter à la récolte si on le prévoit deux semaines à l’avance.

Nous avons signé un contrat de trois ans avec des volumes minimums garantis et un prix fixé à l’avance, ce qui permet à l’association d’investir dans une légumerie pour éplucher et conditionner sur place. Cet atelier crée à lui seul six postes d’insertion supplémentaires.

Tout n’a pas été simple : une saison de grêle a réduit les récoltes de moitié, et nous avons dû trouver d’autres fournisseurs en urgence. Le contrat prévoyait ce cas, ce qui a évité de rompre la confiance.

Aujourd’hui, un tiers des légumes servis dans nos cantines du département viennent du chantier. Les enfants visitent les jardins ; les salariés en insertion viennent voir « leurs » légumes servis.""",
        "success_factors": "Une saison pour comprendre les contraintes de l’autre avant de signer\nDes volumes et des prix garantis sur trois ans\nUn contrat qui prévoit les mauvaises récoltes",
        "difficult_moments": "Une saison de grêle qui a divisé les récoltes par deux\nL’adaptation des cuisines à des légumes non calibrés",
        "quotes": (
            (
                "Un contrat de trois ans, pour un chantier d’insertion, c’est la possibilité d’investir. Sans lui, pas de légumerie.",
                "Directeur",
                "Jardins de la vallée (fictifs)",
            ),
            (
                "Nos cuisiniers ont retrouvé le goût de travailler un produit. On ne l’avait pas mis dans les objectifs.",
                "Responsable des achats",
                "Restauration collective normande (fictive)",
            ),
        ),
    },
    {
        "title": "Inventer ensemble un habitat partagé entre générations",
        "source_kind": "duo",
        "association_name": "Maison des âges (fictive)",
        "company_name": "Mutuelle Horizon (fictive)",
        "partnership_type": "innovation_societale",
        "mecenat_form": "",
        "region": "52",
        "domain": "vieillissement",
        "summary": "Une association et une mutuelle conçoivent, testent puis financent un habitat où des personnes âgées et des jeunes actifs partagent une maison, avec un accompagnement léger.",
        "story": """Tout est parti d’un constat partagé lors d’une rencontre organisée par la mutuelle : de nombreux adhérents âgés vivaient seuls dans de grandes maisons, tandis que de jeunes salariés ne trouvaient pas à se loger près de leur travail. Ni la mutuelle ni l’association n’avaient de réponse toute faite.

Nous avons pris le temps d’un diagnostic commun : entretiens avec une quarantaine de personnes âgées et de jeunes, visites de projets existants ailleurs, échanges avec le département. Cette phase a duré près d’un an, et elle a été décisive : les personnes âgées ne voulaient pas « héberger un étudiant », elles voulaient garder la maîtrise de leur maison et de leurs habitudes.

Le modèle conçu ensemble repose sur une charte de vie commune, une coordinatrice qui rencontre chaque binôme tous les mois, et une petite participation financière du jeune. La mutuelle a financé l’expérimentation pendant trois ans et mis à disposition ses compétences juridiques et actuarielles ; l’association porte le projet et l’accompagnement.

Trente binômes ont été formés. Quelques-uns se sont arrêtés vite, et c’est aussi grâce à eux que la charte a été améliorée.

L’évaluation, menée avec un laboratoire universitaire, montre un recul net du sentiment de solitude. Le modèle est maintenant proposé à d’autres territoires.""",
        "success_factors": "Un an de diagnostic commun avant de concevoir la solution\nPartir des attentes réelles des personnes âgées\nUn financement sur trois ans, qui laisse le droit à l’erreur\nUne évaluation indépendante prévue dès le départ",
        "difficult_moments": "Des binômes arrêtés au bout de quelques semaines\nDes débats longs sur la participation financière des jeunes",
        "quotes": (
            (
                "Nous n’avions pas la solution. Nous avions la même question, et l’envie d’y répondre ensemble.",
                "Directrice de l’action sociale",
                "Mutuelle Horizon (fictive)",
            ),
            (
                "Le soir, on se raconte nos journées. Je ne pensais pas que ça me manquait autant.",
                "Habitante, 84 ans",
                "",
            ),
        ),
    },
    {
        "title": "Une plateforme pour rompre l’isolement des proches aidants",
        "source_kind": "association",
        "association_name": "Aidants solidaires du Midi (fictif)",
        "company_name": "Télécom Provence (fictive)",
        "partnership_type": "innovation_societale",
        "mecenat_form": "",
        "region": "93",
        "domain": "lien_social",
        "summary": "Une association de proches aidants et une entreprise de télécommunications conçoivent ensemble un service de soutien par téléphone et en ligne, testé puis étendu à toute la région.",
        "story": """Nous accompagnons des personnes qui prennent soin d’un proche malade ou dépendant. Beaucoup ne peuvent pas venir à nos groupes de parole : elles ne peuvent pas laisser leur proche seul, même deux heures.

Télécom Provence cherchait de son côté à mettre son savoir-faire au service d’un enjeu de société du territoire. Plutôt que de nous proposer une application toute prête, son équipe innovation est venue écouter des aidants pendant trois mois, avec nous.

Le service conçu ensemble est volontairement simple : une ligne téléphonique ouverte le soir, tenue par des aidants formés et des bénévoles de l’entreprise, et des groupes de parole en visioconférence accessibles depuis un simple téléphone. Nous avons testé pendant un an dans deux départements, en mesurant la fatigue et l’isolement des aidants avant et après.

Le plus difficile a été de tenir le rythme : l’entreprise avance par sprints de deux semaines, l’association par décisions collectives. Nous avons fini par fixer un point mensuel où les deux équipes arbitrent ensemble, et par accepter que certaines décisions prennent plus de temps.

Après l’expérimentation, l’entreprise s’est engagée à financer le service pendant cinq ans et à l’ouvrir à toute la région. Nous restons responsables de l’accompagnement des aidants ; c’est notre métier.""",
        "success_factors": "Écouter les aidants avant de concevoir quoi que ce soit\nUne expérimentation mesurée avant d’étendre\nDes rôles clairs : la technique à l’entreprise, l’accompagnement à l’association",
        "difficult_moments": "Des rythmes de décision très différents entre les deux organisations\nLa peur, côté association, de perdre la main sur son projet",
        "quotes": (
            (
                "Ils auraient pu arriver avec une application. Ils sont arrivés avec des questions.",
                "Coordinatrice",
                "Aidants solidaires du Midi (fictif)",
            ),
            (
                "Certains soirs, l’appel dure dix minutes. Ces dix minutes changent la nuit.",
                "Bénévole écoutant",
                "Télécom Provence (fictive)",
            ),
        ),
    },
)

SUBMITTED: Final[dict[str, Any]] = {
    "title": "Un jardin partagé au pied des immeubles",
    "source_kind": "duo",
    "association_name": "Racines urbaines (fictive)",
    "company_name": "Habitat du Rhin (fictif)",
    "partnership_type": "cooperation_economique",
    "mecenat_form": "",
    "region": "44",
    "domain": "lien_social",
    "summary": "Un bailleur social et une association créent un jardin partagé entre trois immeubles, entretenu par les habitants, avec un emploi d’animateur financé à deux.",
    "story": """Les espaces verts entre nos immeubles coûtaient cher à entretenir et personne ne s’y arrêtait. Racines urbaines proposait d’en faire un jardin partagé, à condition que les habitants s’en emparent vraiment.

Nous avons organisé trois réunions au pied des immeubles avant de planter quoi que ce soit. Aujourd’hui, quarante familles ont une parcelle, et un animateur, financé pour moitié par chacun de nous, anime le jardin quatre jours par semaine.""",
    "success_factors": "Consulter les habitants avant de commencer\nUn animateur présent et connu de tous",
    "difficult_moments": "Des dégradations la première année",
    "quotes": (("Le jardin, c’est l’endroit où on se dit bonjour.", "Habitante", ""),),
}

CHANGES_REQUESTED: Final[dict[str, Any]] = {
    "title": "Nos salariés accompagnent des jeunes vers leur premier emploi",
    "source_kind": "company",
    "association_name": "Tremplin jeunes (fictif)",
    "company_name": "Lumen Conseil (fictif)",
    "partnership_type": "mecenat",
    "mecenat_form": "competences",
    "region": "84",
    "domain": "education",
    "summary": "Des consultants parrainent des jeunes sans réseau professionnel pendant leur recherche de stage et de premier emploi.",
    "story": """Vingt consultants de notre cabinet parrainent chacun un jeune accompagné par Tremplin jeunes, à raison de deux heures par mois sur leur temps de travail. Ils relisent les CV, préparent les entretiens et ouvrent leur carnet d’adresses.""",
    "success_factors": "Des parrains volontaires",
    "difficult_moments": "",
    "quotes": (),
    "note": "Merci pour ce récit. Pourriez-vous donner aussi le point de vue de l’association, ajouter un ou deux moments difficiles et une citation d’un jeune ou d’une salariée de Tremplin jeunes ? Le texte ne parle pour l’instant que de l’entreprise.",
}


def _content(data: dict[str, Any], regions: dict[str, Region]) -> services.TestimonyContent:
    return services.TestimonyContent(
        source_kind=data["source_kind"],
        association_name=data["association_name"],
        company_name=data["company_name"],
        partnership_type=data["partnership_type"],
        mecenat_form=data["mecenat_form"],
        region=regions[data["region"]],
        domain=data["domain"],
        title=data["title"],
        summary=data["summary"],
        story=f"{data['story']}\n\n{FICTION_NOTE}",
        success_factors=data["success_factors"],
        difficult_moments=data["difficult_moments"],
    )


def _quotes(data: dict[str, Any]) -> list[services.QuoteContent]:
    return [
        services.QuoteContent(text=text, speaker_role=role, speaker_organization=organization)
        for text, role, organization in data["quotes"]
    ]


def _draft(data: dict[str, Any], *, author: User, regions: dict[str, Region]) -> Testimony | None:
    """A new draft for `data`, or None if the demo already holds it (the title is its key)."""
    if Testimony.objects.filter(title=data["title"], is_fictional=True).exists():
        return None
    return services.testimony_create(
        author=author, content=_content(data, regions), quotes=_quotes(data), is_fictional=True
    )


@transaction.atomic
def load_demo_testimonies(*, author: User, moderator: User) -> None:
    """Twelve published testimonies, one submitted and one returned for changes. Idempotent."""
    regions = {region.insee_code: region for region in Region.objects.all()}
    for data in PUBLISHED:
        testimony = _draft(data, author=author, regions=regions)
        if testimony is not None:
            services.testimony_submit(testimony=testimony, user=author)
            services.testimony_approve(testimony=testimony, moderator=moderator)
    testimony = _draft(SUBMITTED, author=author, regions=regions)
    if testimony is not None:
        services.testimony_submit(testimony=testimony, user=author)
    testimony = _draft(CHANGES_REQUESTED, author=author, regions=regions)
    if testimony is not None:
        services.testimony_submit(testimony=testimony, user=author)
        services.testimony_request_changes(
            testimony=testimony, moderator=moderator, note=CHANGES_REQUESTED["note"]
        )
