"""The seed research, in Spanish with English versions (facts from ../shared/seeds).

Each report: slug, type, publication date, countries, product-line codes,
stage, authors, the innovation it informs (slug from pilots.demo), and per
language a title, a summary and body sections. A section is a heading with
paragraphs; `figures`, `quote` and `table` add the other block types.
"""

from datetime import date

REPORTS = [
    {
        "slug": "redcamif-demanda-micropensiones",
        "type": "market",
        "date": date(2007, 11, 1),
        "countries": ["GT", "HN", "NI"],
        "lines": ["micro-pensions"],
        "stage": "identify",
        "authors": ["REDCAMIF", "Banco Interamericano de Desarrollo (BID)"],
        "innovation": "redcamif-micropensiones",
        "figures": [
            ("8,5", "millones de personas: demanda potencial", "million people: potential demand"),
            ("600.000", "clientes: mercado objetivo", "clients: target market"),
            ("1,27", "millones de prestatarios de las IMF de REDCAMIF", "million borrowers of REDCAMIF's MFIs"),
        ],
        "es": {
            "title": "Demanda de micropensiones en Centroamérica",
            "summary": "Primer estudio del proyecto de micropensiones de REDCAMIF con el BID: la demanda potencial "
            "de micropensiones en la región supera los 8,5 millones de personas y las IMF son el canal de "
            "distribución adecuado.",
            "sections": [
                (
                    "Objetivo del estudio",
                    [
                        "REDCAMIF, la Red Centroamericana y del Caribe de Microfinanzas, suscribió un acuerdo de "
                        "cooperación técnica con el Banco Interamericano de Desarrollo (BID) para investigar la "
                        "viabilidad de los productos de micropensiones en América Central. Este primer estudio "
                        "determinó la demanda del mercado para esos productos.",
                    ],
                ),
                (
                    "Resultados",
                    [
                        "El estudio de mercado, realizado en 2007, indicó que la demanda potencial de micropensiones "
                        "en la región sobrepasaba los 8,5 millones de individuos. Recomendó que las instituciones de "
                        "microfinanzas (IMF) fueran el canal de distribución y identificó un mercado objetivo de más "
                        "de 600.000 clientes entre los 1,27 millones de prestatarios de las IMF asociadas.",
                    ],
                ),
            ],
        },
        "en": {
            "title": "Demand for micro-pensions in Central America",
            "summary": "First study of REDCAMIF's micro-pension project with the IDB: potential demand for "
            "micro-pensions in the region exceeds 8.5 million people, and MFIs are the right distribution channel.",
            "sections": [
                (
                    "Purpose of the study",
                    [
                        "REDCAMIF, the Central American and Caribbean Microfinance Network, signed a technical "
                        "cooperation agreement with the Inter-American Development Bank (IDB) to research the "
                        "viability of micro-pension products in Central America. This first study measured market demand.",
                    ],
                ),
                (
                    "Findings",
                    [
                        "The market study, carried out in 2007, found potential demand for micro-pensions in the "
                        "region above 8.5 million individuals. It recommended microfinance institutions (MFIs) as the "
                        "distribution channel and identified a target market of over 600,000 clients among the 1.27 "
                        "million borrowers of member MFIs.",
                    ],
                ),
            ],
        },
    },
    {
        "slug": "redcamif-viabilidad-financiera-micropensiones",
        "type": "feasibility",
        "date": date(2010, 3, 1),
        "countries": ["GT", "HN", "NI"],
        "lines": ["micro-pensions"],
        "stage": "design",
        "authors": ["REDCAMIF", "Banco Interamericano de Desarrollo (BID)"],
        "innovation": "redcamif-micropensiones",
        "figures": [
            ("25.000", "clientes: meta del piloto", "clients: pilot target"),
            ("400.000", "clientes: meta de la fase final", "clients: final-phase target"),
        ],
        "es": {
            "title": "Viabilidad financiera de productos de micropensiones",
            "summary": "Segundo estudio de REDCAMIF: la viabilidad financiera de determinados productos de "
            "micropensiones, base del diseño del piloto con 10 IMF y una meta de 25.000 clientes.",
            "sections": [
                (
                    "Alcance",
                    [
                        "El segundo estudio estableció la viabilidad financiera de determinados productos de "
                        "micropensiones. REDCAMIF, en alianza con el BID y el Gobierno del Gran Ducado de Luxemburgo, "
                        "diseñó los términos de referencia y contrató a empresas consultoras para realizarlo.",
                    ],
                ),
                (
                    "Del estudio al piloto",
                    [
                        "La primera fase del proyecto, la investigación del mercado y las pruebas de factibilidad, "
                        "finalizó en 2010. Siguieron el desarrollo de productos y una prueba piloto en 10 IMF con el "
                        "objetivo de llegar a 25.000 clientes; la fase final tiene como meta 400.000 clientes.",
                    ],
                ),
            ],
        },
        "en": {
            "title": "Financial viability of micro-pension products",
            "summary": "REDCAMIF's second study: the financial viability of selected micro-pension products, the "
            "basis of a pilot design with 10 MFIs and a 25,000-client target.",
            "sections": [
                (
                    "Scope",
                    [
                        "The second study established the financial viability of selected micro-pension products. "
                        "REDCAMIF, with the IDB and the Government of the Grand Duchy of Luxembourg, wrote the terms of "
                        "reference and hired consulting firms to carry it out.",
                    ],
                ),
                (
                    "From study to pilot",
                    [
                        "The project's first phase, market research and feasibility testing, ended in 2010. Product "
                        "development followed, then a pilot in 10 MFIs aiming at 25,000 clients; the final phase "
                        "targets 400,000 clients.",
                    ],
                ),
            ],
        },
    },
    {
        "slug": "redcamif-seleccion-paises-piloto",
        "type": "regulatory",
        "date": date(2010, 6, 1),
        "countries": ["GT", "HN", "NI"],
        "lines": ["micro-pensions"],
        "stage": "pilot",
        "authors": ["REDCAMIF"],
        "innovation": "redcamif-micropensiones",
        "table": {
            "es": (
                "IMF seleccionadas para el piloto por país",
                ["País", "IMF"],
                [["Guatemala", "3"], ["Honduras", "3"], ["Nicaragua", "4"]],
            ),
            "en": (
                "MFIs selected for the pilot, by country",
                ["Country", "MFIs"],
                [["Guatemala", "3"], ["Honduras", "3"], ["Nicaragua", "4"]],
            ),
        },
        "es": {
            "title": "Selección de países piloto según el entorno normativo",
            "summary": "Tercer estudio de REDCAMIF: los países piloto para micropensiones se escogieron por su "
            "entorno normativo; 10 IMF de Guatemala, Honduras y Nicaragua fueron seleccionadas.",
            "sections": [
                (
                    "Criterios",
                    [
                        "El tercer estudio escogió un conjunto de países piloto en base al análisis del entorno "
                        "normativo en Centroamérica. Las IMF se seleccionaron por la idoneidad de sus marcos jurídicos "
                        "nacionales, el número de clientes atendidos y su solidez y transparencia.",
                    ],
                ),
                (
                    "Resultado",
                    [
                        "Diez IMF fueron seleccionadas: tres de Guatemala, tres de Honduras y cuatro de Nicaragua. "
                        "Los costos del piloto los compartieron REDCAMIF, el BID, el Gran Ducado de Luxemburgo y las IMF.",
                    ],
                ),
            ],
        },
        "en": {
            "title": "Choosing pilot countries by their regulatory environment",
            "summary": "REDCAMIF's third study: pilot countries for micro-pensions were chosen by their "
            "regulatory environment; 10 MFIs from Guatemala, Honduras and Nicaragua were selected.",
            "sections": [
                (
                    "Criteria",
                    [
                        "The third study chose a set of pilot countries from an analysis of the regulatory environment "
                        "in Central America. MFIs were selected for the suitability of their national legal frameworks, "
                        "the number of clients served, and their soundness and transparency.",
                    ],
                ),
                (
                    "Outcome",
                    [
                        "Ten MFIs were selected: three in Guatemala, three in Honduras and four in Nicaragua. Pilot "
                        "costs were shared by REDCAMIF, the IDB, the Grand Duchy of Luxembourg and the MFIs.",
                    ],
                ),
            ],
        },
    },
    {
        "slug": "rfr-demanda-microseguros-ecuador",
        "type": "market",
        "date": date(2008, 9, 1),
        "countries": ["EC"],
        "lines": ["micro-insurance"],
        "stage": "identify",
        "authors": ["Red Financiera Rural (RFR)", "Organización Internacional del Trabajo (OIT)"],
        "innovation": "rfr-microseguros",
        "chart": True,
        "figures": [
            ("58.500", "asegurados: meta a fines de 2010", "insured clients: end-2010 target"),
            ("90 %", "satisfacción: meta (alcanzado 87 %)", "satisfaction: target (87% reached)"),
        ],
        "es": {
            "title": "Estudio de demanda de microseguros en Ecuador",
            "summary": "Primer estudio de mercado de la RFR (septiembre de 2008, fondos de HIVOS y RFR, apoyo "
            "técnico de la OIT): qué microseguros piden los clientes de las IMF afiliadas.",
            "sections": [
                (
                    "Por qué se hizo",
                    [
                        "En septiembre de 2008, en base a las sugerencias de sus afiliados, la Red Financiera Rural "
                        "decidió emprender dos estudios de mercado para entender mejor la oferta y la demanda de "
                        "microseguros en Ecuador. Este estudio analiza la demanda.",
                    ],
                ),
                (
                    "Conclusiones",
                    [
                        "Aunque existían pólizas de seguro en Ecuador, su complejidad y normas de exclusión las hacían "
                        "demasiado onerosas para los microempresarios. La RFR decidió comisionar un producto de "
                        "seguro simplificado, distribuido por los mismos canales que los microcréditos y microahorros.",
                    ],
                ),
            ],
            "quote": (
                "La asociación anticipaba alcanzar un índice de satisfacción del 90 por ciento de los "
                "consumidores del producto.",
                "SEEP Network, 2011",
            ),
        },
        "en": {
            "title": "Demand for micro-insurance in Ecuador",
            "summary": "RFR's first market study (September 2008, funded by HIVOS and RFR, with ILO technical "
            "support): which micro-insurance the clients of member MFIs ask for.",
            "sections": [
                (
                    "Why it was done",
                    [
                        "In September 2008, at its members' suggestion, Red Financiera Rural decided to carry out two "
                        "market studies to understand the supply of and demand for micro-insurance in Ecuador. This "
                        "study looks at demand.",
                    ],
                ),
                (
                    "Conclusions",
                    [
                        "Insurance policies existed in Ecuador, but their complexity and exclusions made them too "
                        "costly for micro-entrepreneurs. RFR decided to commission a simplified insurance product, "
                        "sold through the same channels as micro-credit and micro-savings.",
                    ],
                ),
            ],
            "quote": (
                "The association expected to reach a 90 per cent satisfaction rate among the product's consumers.",
                "SEEP Network, 2011",
            ),
        },
    },
    {
        "slug": "rfr-oferta-microseguros-ecuador",
        "type": "market",
        "date": date(2008, 9, 15),
        "countries": ["EC"],
        "lines": ["micro-insurance"],
        "stage": "identify",
        "authors": ["Red Financiera Rural (RFR)", "Organización Internacional del Trabajo (OIT)"],
        "innovation": "rfr-microseguros",
        "es": {
            "title": "Estudio de la oferta de microseguros en Ecuador",
            "summary": "Segundo estudio de mercado de la RFR (septiembre de 2008): la oferta de seguros para "
            "microempresarios y los criterios para elegir una aseguradora por concurso.",
            "sections": [
                (
                    "La oferta existente",
                    [
                        "El estudio revisó las pólizas disponibles en Ecuador: complejas, con muchas exclusiones y "
                        "primas poco asequibles para los clientes de las IMF.",
                    ],
                ),
                (
                    "Elección de la aseguradora",
                    [
                        "La RFR seleccionó por concurso a la aseguradora con el sistema más sencillo de afiliación y "
                        "reclamación, una red extensa de oficinas, pocas exclusiones, primas asequibles y conocimiento "
                        "comprobado del mercado. Las reclamaciones se procesan en cinco días (ocho fuera de la provincia "
                        "de la aseguradora).",
                    ],
                ),
            ],
        },
        "en": {
            "title": "Supply of micro-insurance in Ecuador",
            "summary": "RFR's second market study (September 2008): the insurance on offer to micro-entrepreneurs "
            "and the criteria for choosing an insurer by tender.",
            "sections": [
                (
                    "What was on offer",
                    [
                        "The study reviewed the policies available in Ecuador: complex, with many exclusions and "
                        "premiums MFI clients could hardly afford.",
                    ],
                ),
                (
                    "Choosing the insurer",
                    [
                        "RFR chose by tender the insurer with the simplest enrolment and claims process, a wide office "
                        "network, few exclusions, affordable premiums and proven knowledge of the market. Claims are "
                        "processed within five days (eight outside the insurer's province).",
                    ],
                ),
            ],
        },
    },
    {
        "slug": "rmc-cgap-banca-sin-sucursales-rusia",
        "type": "regulatory",
        "date": date(2007, 5, 1),
        "countries": ["RU"],
        "lines": ["payments"],
        "stage": "identify",
        "authors": ["Russian Microfinance Center (RMC)", "CGAP"],
        "innovation": "rmc-banca-sin-sucursales",
        "es": {
            "title": "Políticas bancarias y banca sin sucursales en Rusia",
            "summary": "Estudio normativo del RMC con el CGAP, terminado en mayo de 2007: recomendaciones para "
            "proteger al cliente y resolver las ambigüedades que impedían a las IMF participar en la banca sin "
            "sucursales.",
            "sections": [
                (
                    "Contexto",
                    [
                        "En 2007 el Russian Microfinance Center exploró cómo las instituciones no bancarias (IMF, "
                        "cooperativas rurales, empresas de telefonía móvil y puntos de servicio) podían ampliar el "
                        "acceso a servicios financieros, e investigó la factibilidad normativa de los servicios "
                        "financieros alternativos.",
                    ],
                ),
                (
                    "Recomendaciones",
                    [
                        "La investigación, terminada en mayo de 2007, propuso políticas para proteger al cliente de "
                        "una rápida expansión de la banca sin sucursales y resolver las ambigüedades del marco "
                        "normativo. En 2009 el gobierno definió las figuras de agentes de pago y subagentes.",
                    ],
                ),
            ],
        },
        "en": {
            "title": "Banking policy and branchless banking in Russia",
            "summary": "RMC's regulatory study with CGAP, finished in May 2007: recommendations to protect "
            "clients and remove the ambiguities that kept MFIs out of branchless banking.",
            "sections": [
                (
                    "Background",
                    [
                        "In 2007 the Russian Microfinance Center explored how non-bank institutions (MFIs, rural "
                        "cooperatives, mobile operators and points of service) could widen access to financial "
                        "services, and researched the regulatory feasibility of alternative financial services.",
                    ],
                ),
                (
                    "Recommendations",
                    [
                        "The research, finished in May 2007, proposed policies to protect clients from a fast "
                        "expansion of branchless banking and to resolve ambiguities in the regulations. In 2009 the "
                        "government defined payment agents and sub-agents.",
                    ],
                ),
            ],
        },
    },
    {
        "slug": "finca-peru-adaptacion-modelo-image",
        "type": "case_study",
        "date": date(2016, 3, 1),
        "countries": ["PE"],
        "lines": ["integrated-services"],
        "stage": "pilot",
        "authors": ["FINCA Perú"],
        "innovation": "finca-peru-image",
        "figures": [
            ("1.001", "mujeres en la capacitación grupal", "women in group training"),
            ("145", "lideresas formadas", "women leaders trained"),
            ("10.875", "personas en 398 actividades de movilización", "people in 398 mobilisation activities"),
        ],
        "es": {
            "title": "Adaptación del modelo IMAGE en los bancos comunales de FINCA Perú",
            "summary": "Cómo FINCA Perú adaptó el modelo IMAGE para prevenir la violencia contra la mujer y la "
            "niñez en zonas rurales andinas: capacitación grupal, lideresas y movilización comunitaria.",
            "sections": [
                (
                    "Adaptaciones principales",
                    [
                        "El tema del VIH se reemplazó por prácticas saludables de crianza; se ajustaron la frecuencia y "
                        "la duración de las reuniones y las dinámicas al contexto sociocultural andino.",
                    ],
                ),
                (
                    "Implementación del piloto",
                    [
                        "Capacitación grupal en los bancos comunales de septiembre de 2014 a abril de 2015: 1.001 "
                        "mujeres, 705 de ellas en 4 o más de las 7 sesiones. Seis talleres de cuatro días formaron a "
                        "145 lideresas (mayo y junio de 2015). Entre septiembre de 2015 y febrero de 2016 hubo 398 "
                        "actividades de movilización comunitaria con 10.875 personas.",
                    ],
                ),
            ],
        },
        "en": {
            "title": "Adapting the IMAGE model in FINCA Peru's communal banks",
            "summary": "How FINCA Peru adapted the IMAGE model to prevent violence against women and children in "
            "rural Andean areas: group training, women leaders and community mobilisation.",
            "sections": [
                (
                    "Main adaptations",
                    [
                        "HIV content was replaced by healthy parenting practices; meeting frequency and length and the "
                        "group activities were adapted to the rural Andean context.",
                    ],
                ),
                (
                    "Running the pilot",
                    [
                        "Group training in communal banks from September 2014 to April 2015: 1,001 women, 705 of whom "
                        "attended 4 or more of 7 sessions. Six four-day workshops trained 145 women leaders (May-June "
                        "2015). From September 2015 to February 2016, 398 community mobilisation activities reached "
                        "10,875 people.",
                    ],
                ),
            ],
        },
    },
    {
        "slug": "finca-peru-plan-evaluacion-image",
        "type": "evaluation",
        "date": date(2014, 8, 1),
        "countries": ["PE"],
        "lines": ["integrated-services"],
        "stage": "evaluate",
        "authors": ["FINCA Perú"],
        "innovation": "finca-peru-image",
        "table": {
            "es": (
                "Calendario de la evaluación",
                ["Etapa", "Fecha"],
                [
                    ["Línea de base", "agosto de 2014"],
                    ["Seguimiento", "agosto de 2015"],
                    ["Evaluación final", "agosto de 2016"],
                    ["Evaluación de proceso y costos", "febrero a julio de 2016"],
                    ["Informe final", "febrero de 2017"],
                ],
            ),
            "en": (
                "Evaluation timetable",
                ["Step", "Date"],
                [
                    ["Baseline", "August 2014"],
                    ["Follow-up", "August 2015"],
                    ["Final evaluation", "August 2016"],
                    ["Process and cost evaluation", "February to July 2016"],
                    ["Final report", "February 2017"],
                ],
            ),
        },
        "es": {
            "title": "Plan de evaluación del modelo IMAGE en Perú",
            "summary": "Diseño de la evaluación del piloto IMAGE de FINCA Perú: línea de base en agosto de 2014, "
            "seguimiento en 2015, evaluación final en 2016 e informe final en febrero de 2017.",
            "sections": [
                (
                    "Qué se evalúa",
                    [
                        "La efectividad del modelo que combina servicios financieros con educación y movilización "
                        "comunitaria, y las lecciones aprendidas del proceso, para difundirlas en otros países de "
                        "América Latina y el Caribe.",
                    ],
                ),
            ],
        },
        "en": {
            "title": "Evaluation plan of the IMAGE model in Peru",
            "summary": "Design of the evaluation of FINCA Peru's IMAGE pilot: baseline in August 2014, follow-up "
            "in 2015, final evaluation in 2016 and final report in February 2017.",
            "sections": [
                (
                    "What is evaluated",
                    [
                        "The effectiveness of the model combining financial services with education and community "
                        "mobilisation, and the lessons of the process, to share them with other countries of Latin "
                        "America and the Caribbean.",
                    ],
                ),
            ],
        },
    },
    {
        "slug": "cgap-modelo-kgfs-india",
        "type": "case_study",
        "date": date(2012, 5, 1),
        "countries": ["IN"],
        "lines": ["household-finance", "micro-insurance", "micro-pensions"],
        "stage": "scale",
        "authors": ["Bindu Ananth", "Gregory Chen", "Stephen Rasmussen"],
        "innovation": "kgfs-india",
        "figures": [
            ("110", "sucursales a fines de 2011", "branches at end-2011"),
            ("200.000", "clientes aproximadamente", "clients, approximately"),
            ("50 %", "de los hogares se inscribe en 18 meses", "of households enrol within 18 months"),
        ],
        "table": {
            "es": (
                "Algunos productos de KGFS y su costo (TPA, diciembre de 2011)",
                ["Producto", "TPA"],
                [
                    ["Préstamo a grupos de responsabilidad solidaria", "21,5 %"],
                    ["Préstamo para vivienda", "21 %"],
                    ["Préstamo con garantía de joyas", "23 %"],
                    ["Préstamo para educación", "24 %"],
                    ["Préstamo para empresas", "24,1 % a 24,6 %"],
                ],
            ),
            "en": (
                "Some KGFS products and their cost (APR, December 2011)",
                ["Product", "APR"],
                [
                    ["Joint-liability group loan", "21.5%"],
                    ["Housing loan", "21%"],
                    ["Gold jewellery loan", "23%"],
                    ["Education loan", "24%"],
                    ["Enterprise loan", "24.1% to 24.6%"],
                ],
            ),
        },
        "es": {
            "title": "La búsqueda de la inclusión financiera completa: el modelo KGFS en India",
            "summary": "Caso del CGAP (mayo de 2012): cinco instituciones KGFS con 110 sucursales, una cartera de "
            "US$10 millones y unos 200.000 clientes ofrecen administración patrimonial a hogares rurales.",
            "sections": [
                (
                    "El modelo",
                    [
                        "Cada sucursal de KGFS atiende a toda la población de una zona pequeña y aplica un enfoque de "
                        "administración patrimonial personalizada: crédito, ahorro, seguros y pensiones según las "
                        "necesidades del hogar.",
                    ],
                ),
                (
                    "Resultados a fines de 2011",
                    [
                        "Cinco instituciones, 110 sucursales, una cartera de préstamos de US$10 millones y alrededor de "
                        "200.000 clientes. Más del 50 % de los hogares se inscribe dentro de los primeros 18 meses de "
                        "la apertura de una sucursal.",
                    ],
                ),
            ],
        },
        "en": {
            "title": "The quest for full financial inclusion: the KGFS model in India",
            "summary": "A CGAP case (May 2012): five KGFS institutions with 110 branches, a US$10 million portfolio "
            "and about 200,000 clients offer wealth management to rural households.",
            "sections": [
                (
                    "The model",
                    [
                        "Each KGFS branch serves the whole population of a small area with personalised wealth "
                        "management: credit, savings, insurance and pensions matched to the household's needs.",
                    ],
                ),
                (
                    "Results at the end of 2011",
                    [
                        "Five institutions, 110 branches, a US$10 million loan portfolio and about 200,000 clients. Over "
                        "50% of households enrol within 18 months of a branch opening.",
                    ],
                ),
            ],
        },
    },
    {
        "slug": "nota-precios-responsables-estandar-6c",
        "type": "guidance",
        "date": date(2017, 1, 1),
        "countries": [],
        "lines": ["working-capital", "micro-insurance"],
        "stage": "design",
        "authors": ["Universal Standards for Social and Environmental Performance Management"],
        "innovation": None,
        "table": {
            "es": (
                "Banderas rojas del Estándar 6C",
                ["Indicador", "Bandera roja"],
                [
                    ["TPA frente al promedio de los pares", "más de 15 % por encima"],
                    ["Índice de gastos por pérdida de préstamos", "más de 5 % (o exactamente 0 %)"],
                    ["Retorno sobre activos", "más de 7,5 %"],
                    ["Autosuficiencia operativa", "menos de 100 % sin tendencia al alza"],
                    ["Porcentaje de reclamaciones de seguros", "menos de 30 %"],
                ],
            ),
            "en": (
                "Standard 6C red flags",
                ["Indicator", "Red flag"],
                [
                    ["APR against the peer average", "more than 15% above"],
                    ["Loan-loss expense ratio", "above 5% (or exactly 0%)"],
                    ["Return on assets", "above 7.5%"],
                    ["Operational self-sufficiency", "below 100% without an upward trend"],
                    ["Insurance claims ratio", "below 30%"],
                ],
            ),
        },
        "es": {
            "title": "Nota técnica: precios responsables (Estándar 6C)",
            "summary": "Guía para fijar precios sostenibles y alineados con los intereses de los clientes: la TPA "
            "calculada con saldo decreciente y las banderas rojas del Estándar 6C de los Estándares Universales.",
            "sections": [
                (
                    "Qué pide el estándar",
                    [
                        "El proveedor se gestiona de manera sostenible, su política de precios toma en cuenta el "
                        "interés de los clientes y sus índices financieros no señalan problemas con los precios.",
                    ],
                ),
                (
                    "Interés plano frente a saldo decreciente",
                    [
                        "Las tasas nominales calculadas con el método plano parecen más baratas, pero son casi dos veces "
                        "más caras que las declaradas. Calcule y publique la tasa de porcentaje anual con saldo "
                        "decreciente e incluya todas las comisiones, ahorros obligatorios y primas.",
                    ],
                ),
            ],
        },
        "en": {
            "title": "Guidance note: responsible pricing (Standard 6C)",
            "summary": "How to set prices that are sustainable and aligned with clients' interests: the APR on a "
            "declining balance and the red flags of the Universal Standards' Standard 6C.",
            "sections": [
                (
                    "What the standard asks",
                    [
                        "The provider is managed sustainably, its pricing policy considers clients' interests and its "
                        "financial ratios do not point to pricing problems.",
                    ],
                ),
                (
                    "Flat versus declining-balance interest",
                    [
                        "Nominal rates computed with the flat method look cheaper but are almost twice as expensive as "
                        "stated. Compute and publish the annual percentage rate on a declining balance, including all "
                        "fees, compulsory savings and premiums.",
                    ],
                ),
            ],
        },
    },
]


# Topic tags of each study (slug -> Spanish topics), for the research list's "Tema" filter.
TOPICS = {
    "redcamif-demanda-micropensiones": ["micropensiones", "ahorro", "estudio de demanda"],
    "redcamif-viabilidad-financiera-micropensiones": ["micropensiones", "ahorro", "viabilidad financiera"],
    "redcamif-seleccion-paises-piloto": ["micropensiones", "regulación"],
    "rfr-demanda-microseguros-ecuador": ["microseguros", "estudio de demanda"],
    "rfr-oferta-microseguros-ecuador": ["microseguros", "regulación"],
    "rmc-cgap-banca-sin-sucursales-rusia": ["banca sin sucursales", "regulación", "pagos"],
    "finca-peru-adaptacion-modelo-image": ["salud", "educación financiera", "bancos comunales"],
    "finca-peru-plan-evaluacion-image": ["salud", "educación financiera", "evaluación de impacto"],
    "cgap-modelo-kgfs-india": ["inclusión financiera", "microseguros", "ahorro"],
    "nota-precios-responsables-estandar-6c": ["protección al cliente", "precios", "educación financiera"],
}

# The same topics on the English versions.
TOPICS_EN = {
    "micropensiones": "micro-pensions",
    "ahorro": "savings",
    "estudio de demanda": "demand study",
    "viabilidad financiera": "financial viability",
    "regulación": "regulation",
    "microseguros": "micro-insurance",
    "banca sin sucursales": "branchless banking",
    "pagos": "payments",
    "salud": "health",
    "educación financiera": "financial education",
    "bancos comunales": "village banking",
    "evaluación de impacto": "impact evaluation",
    "inclusión financiera": "financial inclusion",
    "protección al cliente": "client protection",
    "precios": "pricing",
}
