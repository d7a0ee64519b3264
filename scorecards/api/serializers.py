"""Shapes of the blueprint API, for validation-free output and the OpenAPI schema."""

from rest_framework import serializers


class RoleListItemSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    title = serializers.CharField()
    version = serializers.IntegerField()


class ResponsibilitySerializer(serializers.Serializer):
    category = serializers.CharField()
    text = serializers.CharField()


class SkillSerializer(serializers.Serializer):
    name = serializers.CharField()
    group = serializers.CharField()
    importance = serializers.CharField()
    context_specific = serializers.BooleanField()
    importance_note = serializers.CharField()
    description = serializers.CharField()
    use = serializers.CharField()
    why_it_matters = serializers.CharField()
    how_it_shows_up = serializers.CharField()
    strong_performance = serializers.CharField()


class TargetSerializer(serializers.Serializer):
    direction = serializers.ChoiceField(choices=["at_least", "at_most", "increase", "decrease"])
    threshold = serializers.FloatField(allow_null=True)
    unit = serializers.CharField()
    relative = serializers.BooleanField()


class KPISerializer(serializers.Serializer):
    name = serializers.CharField()
    measures = serializers.CharField()
    why = serializers.CharField()
    target = serializers.CharField()
    frequency = serializers.CharField()
    target_parsed = TargetSerializer(allow_null=True)


class MilestoneSerializer(serializers.Serializer):
    horizon = serializers.CharField()
    title = serializers.CharField()
    goals = serializers.ListField(child=serializers.CharField())
    success_indicators = serializers.ListField(child=serializers.CharField())


class DimensionSerializer(serializers.Serializer):
    name = serializers.CharField()
    meets_bar = serializers.CharField()
    weight = serializers.FloatField()


class BlueprintSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    title = serializers.CharField()
    version = serializers.IntegerField()
    status = serializers.ChoiceField(choices=["draft", "published"])
    summary = serializers.CharField()
    mission = serializers.CharField()
    responsibilities = ResponsibilitySerializer(many=True)
    skills = SkillSerializer(many=True)
    kpis = KPISerializer(many=True)
    milestones = MilestoneSerializer(many=True)
    scorecard = DimensionSerializer(many=True)
    promotion_criteria = serializers.ListField(child=serializers.CharField())
    sections = serializers.DictField()
