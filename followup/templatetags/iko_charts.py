from django import template

from ..charts import chart_svg

register = template.Library()


@register.simple_tag
def iko_chart_svg(chart, chart_id, title):
    """templates/followup/_charts.html: the chart's SVG (followup.charts.chart_svg)."""
    return chart_svg(chart, str(chart_id), str(title))
