"""Graded relevance judgments of the site search on the demo data (tests/search/test_relevance.py).

Each query as an MFI officer or a donor types it, with the documents judged for it:
2 = the answer, 1 = useful. A document is named by identity, not title: a title differs between
the Spanish and the English site and can be edited, an identity does not. `innovation:<slug>` is an
innovation (its page /pilots/<slug>/), `research:<slug>` a research study (/research/<slug>/, one
identity for its Spanish and its English version) and `lesson:<innovation-slug>` ANY lesson learned
of that innovation (/pilots/<slug>/#lesson-N).

Results are grouped: an innovation's lessons learned are shown under the innovation, so ordinary
queries judge innovations and research studies only. A query that names a kind of document
("lecciones aprendidas", "estudios", "evaluaciones", "notas técnicas", "estudios de caso",
"estudios de mercado", "estudios de viabilidad", "innovaciones", "pilotos" and their English words)
only shows that kind, and is judged on it: lessons then are separate results, judged by their
innovation; the bare kind word makes every document of the kind the answer.

The priced innovations (rfr-microseguros, finca-peru-image, kgfs-india) carry their product terms
(loan variants with their interest rate, APR — TPA in Spanish —, fees), so pricing queries judge them.
Documents that mention a query's word only in passing get no grade.
"""

# Innovations
REDCAMIF = "innovation:redcamif-micropensiones"
RFR = "innovation:rfr-microseguros"
RMC = "innovation:rmc-banca-sin-sucursales"
FINCA = "innovation:finca-peru-image"
KGFS = "innovation:kgfs-india"
INNOVATIONS = (REDCAMIF, RFR, RMC, FINCA, KGFS)

# Research studies
PENSION_DEMAND = "research:redcamif-demanda-micropensiones"  # market
PENSION_VIABILITY = "research:redcamif-viabilidad-financiera-micropensiones"  # feasibility
PENSION_COUNTRIES = "research:redcamif-seleccion-paises-piloto"  # regulatory
INSURANCE_DEMAND = "research:rfr-demanda-microseguros-ecuador"  # market
INSURANCE_SUPPLY = "research:rfr-oferta-microseguros-ecuador"  # market
RUSSIA_POLICY = "research:rmc-cgap-banca-sin-sucursales-rusia"  # regulatory
IMAGE_CASE = "research:finca-peru-adaptacion-modelo-image"  # case_study
IMAGE_EVALUATION = "research:finca-peru-plan-evaluacion-image"  # evaluation
KGFS_CASE = "research:cgap-modelo-kgfs-india"  # case_study
PRICING_NOTE = "research:nota-precios-responsables-estandar-6c"  # guidance

# Lessons learned, by their innovation (kgfs-india has none)
L_REDCAMIF = "lesson:redcamif-micropensiones"
L_RFR = "lesson:rfr-microseguros"
L_RMC = "lesson:rmc-banca-sin-sucursales"
L_FINCA = "lesson:finca-peru-image"
LESSONS = (L_REDCAMIF, L_RFR, L_RMC, L_FINCA)

# Judgments shared by several queries
INSURANCE = {RFR: 2, INSURANCE_DEMAND: 2, INSURANCE_SUPPLY: 2, KGFS_CASE: 1}
PENSIONS = {REDCAMIF: 2, PENSION_DEMAND: 2, PENSION_VIABILITY: 2, PENSION_COUNTRIES: 2}
CENTRAL_AMERICA = {REDCAMIF: 2, PENSION_DEMAND: 2, PENSION_COUNTRIES: 2, PENSION_VIABILITY: 1}
PILOT_COUNTRY = {PENSION_COUNTRIES: 2, REDCAMIF: 2, PENSION_DEMAND: 1, PENSION_VIABILITY: 1}
BRANCHLESS = {RMC: 2, RUSSIA_POLICY: 2}
IMAGE = {FINCA: 2, IMAGE_CASE: 2, IMAGE_EVALUATION: 2}
WOMEN = {FINCA: 2, IMAGE_CASE: 2, IMAGE_EVALUATION: 1}
FINANCIAL_EDUCATION = {FINCA: 2, IMAGE_CASE: 2, IMAGE_EVALUATION: 2, PRICING_NOTE: 1}
EVALUATION = {IMAGE_EVALUATION: 2, FINCA: 1}
KGFS_ALL = {KGFS: 2, KGFS_CASE: 2}
AUTHORS_KGFS = {KGFS_CASE: 2, KGFS: 1}
SAVINGS = {KGFS_CASE: 2, KGFS: 1, PENSION_DEMAND: 1, PENSION_VIABILITY: 1, REDCAMIF: 1}
PRICING = {PRICING_NOTE: 2, KGFS: 1, KGFS_CASE: 1, FINCA: 1, RFR: 1}
APR = {PRICING_NOTE: 2, KGFS: 2, KGFS_CASE: 2, FINCA: 1, RFR: 1}
IDB = {PENSION_DEMAND: 2, PENSION_VIABILITY: 2, REDCAMIF: 2, PENSION_COUNTRIES: 1}
LUXEMBOURG = {PENSION_VIABILITY: 2, PENSION_COUNTRIES: 2, REDCAMIF: 2}
CGAP = {RUSSIA_POLICY: 2, KGFS_CASE: 2, RMC: 1, KGFS: 1}
ILO = {INSURANCE_DEMAND: 2, INSURANCE_SUPPLY: 2, RFR: 1}
MARKET_STUDIES = {PENSION_DEMAND: 2, INSURANCE_DEMAND: 2, INSURANCE_SUPPLY: 2}
CASE_STUDIES = {IMAGE_CASE: 2, KGFS_CASE: 2}
ALL_LESSONS = dict.fromkeys(LESSONS, 2)
ALL_INNOVATIONS = dict.fromkeys(INNOVATIONS, 2)

Q = list[tuple[str, str, dict[str, int]]]
QUERIES: Q = [
    # Spanish site
    # insurance
    ("es", "microseguros", INSURANCE),
    ("es", "microsegros", INSURANCE),  # a typo
    ("es", "pólizas de seguro", {RFR: 2, INSURANCE_DEMAND: 2, INSURANCE_SUPPLY: 2}),
    ("es", "seguro simplificado", {RFR: 2, INSURANCE_DEMAND: 1, INSURANCE_SUPPLY: 1}),
    ("es", "aseguradora por concurso", {INSURANCE_SUPPLY: 2, RFR: 2}),
    ("es", "Red Financiera Rural", {RFR: 2, INSURANCE_DEMAND: 2, INSURANCE_SUPPLY: 2}),
    ("es", "microseguros India", {KGFS_CASE: 2, KGFS: 1}),
    # pensions
    ("es", "micropensiones", PENSIONS),
    ("es", "micropenciones", PENSIONS),  # a typo
    ("es", "pensiónes", PENSIONS),  # a misplaced accent
    ("es", "jubilacion", PENSIONS),  # no accent, a synonym
    ("es", "Centroamerica", CENTRAL_AMERICA),
    ("es", "Guatemala", PILOT_COUNTRY),
    ("es", "Nicaragua", PILOT_COUNTRY),
    ("es", "viabilidad financiera", {PENSION_VIABILITY: 2, REDCAMIF: 1}),
    # branchless banking
    ("es", "banca sin sucursales", BRANCHLESS),
    ("es", "corresponsales Rusia", BRANCHLESS),  # a synonym
    ("es", "agentes de pago", BRANCHLESS),
    ("es", "protección al cliente", {PRICING_NOTE: 2, RUSSIA_POLICY: 2, RMC: 2}),
    ("es", "regulacion", {PENSION_COUNTRIES: 2, RUSSIA_POLICY: 2, INSURANCE_SUPPLY: 1, RMC: 1}),
    # women, training, evaluation
    ("es", "educacion financiera", FINANCIAL_EDUCATION),
    ("es", "educacion finaciera", FINANCIAL_EDUCATION),  # a typo
    ("es", "capacitacion", {FINCA: 2, IMAGE_CASE: 2, IMAGE_EVALUATION: 1}),
    ("es", "violencia contra la mujer", WOMEN),
    ("es", "genero", WOMEN),
    ("es", "evaluasion de impacto", EVALUATION),  # a typo
    ("es", "linea de base", EVALUATION),
    ("es", "bancos comunales", {IMAGE_CASE: 2, FINCA: 2}),
    ("es", "crédito de banca comunal", {FINCA: 2, IMAGE_CASE: 1}),  # a product
    # savings, KGFS
    ("es", "ahorro", SAVINGS),
    ("es", "inclusion financiera", {KGFS_CASE: 2, KGFS: 1}),
    ("es", "préstamo para vivienda", {KGFS_CASE: 2, KGFS: 2}),  # a product
    # pricing
    ("es", "tasa de interés", PRICING),
    ("es", "TPA", APR),
    ("es", "precios", PRICING),
    ("es", "costo del credito", {PRICING_NOTE: 2, KGFS_CASE: 2, KGFS: 1, FINCA: 1, RFR: 1}),
    # countries, institutions, people
    ("es", "Ecuador", {RFR: 2, INSURANCE_DEMAND: 2, INSURANCE_SUPPLY: 2}),
    ("es", "Peru", IMAGE),
    ("es", "Rusia", BRANCHLESS),
    ("es", "India", KGFS_ALL),
    ("es", "KGFS", KGFS_ALL),
    ("es", "Bindu Ananth", AUTHORS_KGFS),
    ("es", "OIT", ILO),
    ("es", "BID", IDB),
    ("es", "CGAP", CGAP),
    ("es", "FINCA", IMAGE),
    ("es", "Luxemburgo", LUXEMBOURG),
    # kinds of documents
    ("es", "lecciones aprendidas", ALL_LESSONS),
    ("es", "lecciones microseguros", {L_RFR: 2}),
    ("es", "lecciones banca sin sucursales", {L_RMC: 2}),
    ("es", "lecciones Perú", {L_FINCA: 2}),
    ("es", "estudios pensiones", {PENSION_DEMAND: 2, PENSION_VIABILITY: 2, PENSION_COUNTRIES: 2}),
    ("es", "estudios microseguros", {INSURANCE_DEMAND: 2, INSURANCE_SUPPLY: 2, KGFS_CASE: 1}),
    ("es", "investigación Rusia", {RUSSIA_POLICY: 2}),
    ("es", "estudios de mercado", MARKET_STUDIES),
    ("es", "estudios de demanda", {PENSION_DEMAND: 2, INSURANCE_DEMAND: 2, INSURANCE_SUPPLY: 1}),
    ("es", "estudios de viabilidad", {PENSION_VIABILITY: 2}),
    ("es", "evaluaciones", {IMAGE_EVALUATION: 2}),
    ("es", "notas técnicas", {PRICING_NOTE: 2}),
    ("es", "estudios de caso", CASE_STUDIES),
    ("es", "innovaciones", ALL_INNOVATIONS),
    ("es", "pilotos Centroamerica", {REDCAMIF: 2}),
    # English site
    # insurance
    ("en", "micro-insurance", INSURANCE),
    ("en", "insurance", INSURANCE),
    ("en", "micro-insurence", INSURANCE),  # a typo
    ("en", "insurance policy", {RFR: 2, INSURANCE_DEMAND: 2, INSURANCE_SUPPLY: 2}),
    ("en", "insurance claims", {INSURANCE_SUPPLY: 2, RFR: 1}),
    # pensions
    ("en", "pensions", PENSIONS),
    ("en", "micropensiones", PENSIONS),  # a Spanish word on the English site
    ("en", "retirement savings", {**PENSIONS, PENSION_COUNTRIES: 1, KGFS_CASE: 1}),
    ("en", "Central America", CENTRAL_AMERICA),
    ("en", "Guatemala", PILOT_COUNTRY),
    # branchless banking
    ("en", "branchless banking", BRANCHLESS),
    ("en", "branchles banking", BRANCHLESS),  # a typo
    ("en", "payment cards", {RMC: 2, RUSSIA_POLICY: 1}),
    ("en", "consumer protection", {RMC: 2, RUSSIA_POLICY: 2, PRICING_NOTE: 1}),
    # women, training, evaluation
    ("en", "financial education", FINANCIAL_EDUCATION),
    ("en", "finacial education", FINANCIAL_EDUCATION),  # a typo
    ("en", "gender", WOMEN),
    ("en", "violence against women", WOMEN),
    ("en", "impact evaluation", EVALUATION),
    ("en", "baseline", EVALUATION),
    ("en", "village banking", {IMAGE_CASE: 2, FINCA: 2}),
    ("en", "communal bank loan", {FINCA: 2, IMAGE_CASE: 1}),  # a product
    # savings, KGFS
    ("en", "savings", SAVINGS),
    ("en", "wealth management", KGFS_ALL),
    ("en", "housing loan", {KGFS_CASE: 2, KGFS: 2}),  # a product
    # pricing
    ("en", "APR", APR),
    ("en", "pricing", PRICING),
    ("en", "interest rate", PRICING),
    ("en", "Universal Standards", {PRICING_NOTE: 2}),
    # countries, institutions, people
    ("en", "Russia", BRANCHLESS),
    ("en", "India", KGFS_ALL),
    ("en", "Ecuador", {RFR: 2, INSURANCE_DEMAND: 2, INSURANCE_SUPPLY: 2}),
    ("en", "Gregory Chen", AUTHORS_KGFS),
    ("en", "CGAP", CGAP),
    ("en", "IDB", IDB),
    ("en", "ILO", ILO),
    ("en", "Luxembourg", LUXEMBOURG),
    # kinds of documents
    ("en", "lessons learned", ALL_LESSONS),
    ("en", "lessons learned branchless", {L_RMC: 2}),
    ("en", "lessons micro-insurance", {L_RFR: 2}),
    ("en", "lessons pensions", {L_REDCAMIF: 2}),
    ("en", "studies pensions", {PENSION_DEMAND: 2, PENSION_VIABILITY: 2, PENSION_COUNTRIES: 2}),
    ("en", "research Russia", {RUSSIA_POLICY: 2}),
    ("en", "case studies", CASE_STUDIES),
    ("en", "evaluations", {IMAGE_EVALUATION: 2}),
    ("en", "guidance notes", {PRICING_NOTE: 2}),
    ("en", "market studies", MARKET_STUDIES),
    ("en", "feasibility studies", {PENSION_VIABILITY: 2}),
    ("en", "pilots", ALL_INNOVATIONS),
    ("en", "innovations India", {KGFS: 2}),
]
