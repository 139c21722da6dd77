"""Installs the default codebook: the 15 generic frames of the Media Frames Corpus
(Card et al., 2015, after Boydstun et al.'s policy frames codebook)."""

from django.db import migrations

SLUG = "media-frames-corpus"
FRAMES = [
    ("economic", "Economic", "Costs, benefits, or other financial implications."),
    ("capacity-and-resources", "Capacity and resources", "Availability of physical, human or financial resources, and capacity of current systems."),
    ("morality", "Morality", "Religious or ethical implications."),
    ("fairness-and-equality", "Fairness and equality", "Balance or distribution of rights, responsibilities and resources; equality or inequality."),
    ("legality", "Legality, constitutionality and jurisprudence", "Rights, freedoms and authority of individuals, corporations and government; court cases and the law."),
    ("policy-prescription", "Policy prescription and evaluation", "Discussion of specific policies aimed at addressing problems, and whether they work."),
    ("crime-and-punishment", "Crime and punishment", "Effectiveness and implications of laws and their enforcement; violation of policies."),
    ("security-and-defense", "Security and defense", "Threats to the welfare of the individual, community or nation."),
    ("health-and-safety", "Health and safety", "Health care, sanitation, public safety."),
    ("quality-of-life", "Quality of life", "Threats and opportunities for the individual's wealth, happiness and well-being."),
    ("cultural-identity", "Cultural identity", "Traditions, customs or values of a social group in relation to a policy issue."),
    ("public-opinion", "Public opinion", "Attitudes and opinions of the general public, including polling and demographics."),
    ("political", "Political", "Considerations related to politics and politicians, including lobbying, elections and attempts to sway voters."),
    ("external-regulation", "External regulation and reputation", "International reputation or foreign policy of a country or group."),
    ("other", "Other", "Any coherent frame not covered by the above."),
]


def install(apps, schema_editor):
    Codebook = apps.get_model("coverage", "Codebook")
    Frame = apps.get_model("coverage", "Frame")
    codebook, _ = Codebook.objects.get_or_create(
        slug=SLUG,
        defaults={
            "name": "Media Frames Corpus",
            "description": "The 15 generic policy frames of the Media Frames Corpus (Card et al., 2015).",
        },
    )
    for number, (slug, name, description) in enumerate(FRAMES, start=1):
        Frame.objects.update_or_create(
            codebook=codebook, slug=slug, defaults={"name": name, "number": number, "description": description}
        )


def uninstall(apps, schema_editor):
    apps.get_model("coverage", "Codebook").objects.filter(slug=SLUG, events__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("coverage", "0001_initial")]
    operations = [migrations.RunPython(install, uninstall)]
