"""The words names are made of: Kent's towns and districts, the features and saints schools are
named after, the words of provider names, and people's first and last names."""

from __future__ import annotations

from apregister.models import Sex


def _words(text: str) -> tuple[str, ...]:
    return tuple(word.strip() for word in text.split(",") if word.strip())


TOWNS = _words(
    "Ashford, Canterbury, Dover, Folkestone, Gravesend, Maidstone, Margate, Ramsgate, Sevenoaks,"
    "Tonbridge, Dartford, Faversham, Sittingbourne, Whitstable, Deal, Sandwich, Hythe, Tenterden,"
    "Cranbrook, Edenbridge, Herne Bay, Broadstairs, Westerham, Paddock Wood, Swanley, Snodland,"
    "Aylesford, Minster, Headcorn, Marden, Staplehurst, Wye, Lydd, Birchington, Otford, Hawkhurst"
)
# Kent's districts, with their postcode areas
AREAS = tuple(
    tuple(area.split(":"))
    for area in _words(
        "Ashford:TN, Canterbury:CT, Dartford:DA, Dover:CT, Folkestone and Hythe:CT, Gravesham:DA,"
        "Maidstone:ME, Sevenoaks:TN, Swale:ME, Thanet:CT, Tonbridge and Malling:ME,"
        "Tunbridge Wells:TN"
    )
)
FEATURES = _words(
    "Oaks, Park, Hill, Green, Valley, Fields, Vale, Meadow, Brook, Wood, Downs, Court, Lane,"
    "Cross, Heath, Grove, Marsh, Ridge, Bridge, Farm"
)
SECONDARY_KINDS = ("Academy", "High School", "Grammar School")
SAINTS = _words("Anne, Mary, John, Peter, Paul, Michael, Margaret, George, Luke")
ADJECTIVES = _words(
    "Bright, New, Fresh, Open, Clear, Rising, Green, Blue, Silver, Golden, True, Brave, Steady,"
    "Kind, Bold, Next, First, Wide, Calm, North"
)
NOUNS = _words(
    "Futures, Horizons, Pathways, Bridges, Compass, Harbour, Lighthouse, Oak, Willow, Phoenix,"
    "Anchor, Summit, Meadow, Orchard, Beacon, Journey, Roots, Wings, Steps, Springboard, Acorn,"
    "Foundry, Kestrel, Rowan"
)
FIRST_NAMES = {
    Sex.MALE: _words(
        "Alfie, Archie, Ben, Callum, Charlie, Connor, Dylan, Ethan, Finley, Freddie, George,"
        "Harley, Harry, Harvey, Jack, Jacob, Jake, Jayden, Kai, Kian, Leo, Lewis, Liam, Logan,"
        "Louie, Mason, Max, Mohammed, Noah, Oliver, Oscar, Reece, Riley, Ryan, Sam, Theo, Thomas,"
        "Tyler, Zac, Zain"
    ),
    Sex.FEMALE: _words(
        "Aisha, Amelia, Amira, Ava, Bella, Chloe, Demi, Ella, Ellie, Emily, Erin, Evie, Freya,"
        "Grace, Hannah, Holly, Isla, Jade, Keira, Lacey, Leah, Lily, Lola, Maisie, Maya, Mia,"
        "Millie, Olivia, Poppy, Priya, Ruby, Scarlett, Sienna, Skye, Sophie, Summer, Tia, Zara,"
        "Zoe, Niamh"
    ),
    Sex.UNKNOWN: _words("Alex, Charlie, Jordan, Sam, Riley, Rowan, Jamie"),
}
LAST_NAMES = _words(
    "Smith, Jones, Taylor, Brown, Williams, Wilson, Johnson, Davies, Robinson, Wright, Thompson,"
    "Evans, Walker, White, Roberts, Green, Hall, Wood, Jackson, Clarke, Patel, Khan, Lewis, James,"
    "Phillips, Mason, Mitchell, Rose, Davis, Rodriguez, Cox, Alexander, Morgan, Moore, Mills, King,"
    "Lee, Baker, Harris, Scott, Turner, Hill, Cooper, Ward, Morris, Carter, Hughes, Price, Bennett,"
    "Ahmed, Ali, Begum, Hussain, Iqbal, Nowak, Kowalski, Owen, Foster, Kelly, Murphy, Reid, Shah,"
    "Okafor, Adeyemi, Mensah, Campbell, Stewart, Palmer"
)
