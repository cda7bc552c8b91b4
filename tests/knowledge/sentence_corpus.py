"""A labelled corpus for the sentence splitter: text, and the sentences a reader would see.

Written for Footnote (analyses, answers and reports in both languages): abbreviations and
initials that must not end a sentence, decimals, citation markers, quotes, Chinese full stops,
mixed-language sentences, and the few abbreviations that do end one ("etc.", "U.S." before
"The").
"""

from __future__ import annotations

CASES: list[tuple[str, list[str]]] = [
    # ---- English: abbreviations and initials kept whole
    (
        "J.P. Morgan Global Research expects the Fed to hold. Small caps fell.",
        ["J.P. Morgan Global Research expects the Fed to hold.", "Small caps fell."],
    ),
    (
        "The cut would help, although J.P. Morgan expects none [6]. Watch the Fed.",
        ["The cut would help, although J.P. Morgan expects none [6].", "Watch the Fed."],
    ),
    (
        "J.P. Morgan's Michael Feroli sees no cut in 2026. Markets disagree.",
        ["J.P. Morgan's Michael Feroli sees no cut in 2026.", "Markets disagree."],
    ),
    (
        "The U.S. economy grew 2.3% last year. Rates stayed high.",
        ["The U.S. economy grew 2.3% last year.", "Rates stayed high."],
    ),
    (
        "U.S. small caps led in January. The Dow lagged.",
        ["U.S. small caps led in January.", "The Dow lagged."],
    ),
    (
        "The U.S. Federal Reserve held rates. Stocks rose.",
        ["The U.S. Federal Reserve held rates.", "Stocks rose."],
    ),
    (
        "Apple Inc. reported record sales. Its shares rose 2.1%.",
        ["Apple Inc. reported record sales.", "Its shares rose 2.1%."],
    ),
    (
        "Shares of Nvidia Corp. slipped 1.5% on Friday. Chips were weak.",
        ["Shares of Nvidia Corp. slipped 1.5% on Friday.", "Chips were weak."],
    ),
    (
        "Dr. Feroli expects no cut. Prof. Shiller disagrees.",
        ["Dr. Feroli expects no cut.", "Prof. Shiller disagrees."],
    ),
    (
        "Mr. Hirsch points to the January effect. Ms. Lee does not.",
        ["Mr. Hirsch points to the January effect.", "Ms. Lee does not."],
    ),
    (
        "The St. Louis Fed publishes the data. It is free.",
        ["The St. Louis Fed publishes the data.", "It is free."],
    ),
    (
        "Small caps ranked No. 1 in January. Large caps ranked last.",
        ["Small caps ranked No. 1 in January.", "Large caps ranked last."],
    ),
    (
        "Cyclical sectors, e.g. energy and materials, led. Defensives lagged.",
        ["Cyclical sectors, e.g. energy and materials, led.", "Defensives lagged."],
    ),
    (
        "The rate, i.e. the federal funds rate, stayed at 3.50-3.75%. Bonds rallied.",
        ["The rate, i.e. the federal funds rate, stayed at 3.50-3.75%.", "Bonds rallied."],
    ),
    (
        "Russell 2000 vs. S&P 500: small caps won by 5.78 pp. That gap is large.",
        ["Russell 2000 vs. S&P 500: small caps won by 5.78 pp.", "That gap is large."],
    ),
    (
        "Small caps vs. large caps is the question. Nobody knows.",
        ["Small caps vs. large caps is the question.", "Nobody knows."],
    ),
    (
        "Jeffrey A. Hirsch edits the Almanac. He expects more upside.",
        ["Jeffrey A. Hirsch edits the Almanac.", "He expects more upside."],
    ),
    (
        "The note was dated Dec. 9, 2025. It set a target of 2,825.",
        ["The note was dated Dec. 9, 2025.", "It set a target of 2,825."],
    ),
    (
        "Trading opens at 9:30 a.m. in New York. Futures trade earlier.",
        ["Trading opens at 9:30 a.m. in New York.", "Futures trade earlier."],
    ),
    (
        "The data were released at 8:30 a.m. The market opened lower.",
        ["The data were released at 8:30 a.m.", "The market opened lower."],
    ),
    (
        "Gold, bonds, the dollar, etc. all moved. Stocks held.",
        ["Gold, bonds, the dollar, etc. all moved.", "Stocks held."],
    ),
    (
        "Investors bought gold, bonds, etc. The dollar fell.",
        ["Investors bought gold, bonds, etc.", "The dollar fell."],
    ),
    (
        "Both firms are based in the U.K. and the U.S. They report in pounds.",
        ["Both firms are based in the U.K. and the U.S.", "They report in pounds."],
    ),
    (
        "Lazard Asset Management Ltd. sees AI gravity at work. Others are sceptical.",
        ["Lazard Asset Management Ltd. sees AI gravity at work.", "Others are sceptical."],
    ),
    # ---- English: decimals, numbers, markers
    (
        "The Russell 2000 rose 7.53% to 2,669.16 [1]. The Dow gained 3.19% [1].",
        ["The Russell 2000 rose 7.53% to 2,669.16 [1].", "The Dow gained 3.19% [1]."],
    ),
    (
        "The index closed at 2,669.16. It had been 2,718.77 a day earlier.",
        ["The index closed at 2,669.16.", "It had been 2,718.77 a day earlier."],
    ),
    (
        "Volatility was 0.96% daily, or 15.2% a year. That is high.",
        ["Volatility was 0.96% daily, or 15.2% a year.", "That is high."],
    ),
    (
        "The target is 2,825 [4]. [1] shows the close.",
        ["The target is 2,825 [4]. [1]", "shows the close."],
    ),
    (
        "Seasonality helps. [2] Earnings matter more. [7]",
        ["Seasonality helps. [2]", "Earnings matter more. [7]"],
    ),
    (
        "Cuts of about 50 bp were priced [7]; earnings grew faster [7]. Valuations were low.",
        # an English semicolon joins clauses (a Chinese one ends a sentence)
        ["Cuts of about 50 bp were priced [7]; earnings grew faster [7].", "Valuations were low."],
    ),
    (
        "Version 2.0 of the model is out. It is faster.",
        ["Version 2.0 of the model is out.", "It is faster."],
    ),
    # ---- English: quotes, questions, exclamations, ellipses, lines
    (
        'He said "the rally has legs." Then he left.',
        ['He said "the rally has legs."', "Then he left."],
    ),
    (
        "Is the rally durable? Nobody can say! Watch the Fed.",
        ["Is the rally durable?", "Nobody can say!", "Watch the Fed."],
    ),
    (
        "Small caps rose... Then they fell.",
        ["Small caps rose...", "Then they fell."],
    ),
    (
        "The gain (about 12%) came from the Dec. low. It faded.",
        ["The gain (about 12%) came from the Dec. low.", "It faded."],
    ),
    (
        "First line without a stop\nSecond line. Third sentence.",
        ["First line without a stop", "Second line.", "Third sentence."],
    ),
    (
        "See https://www.jpmorgan.com/insights/global-research for the note. It is long.",
        ["See https://www.jpmorgan.com/insights/global-research for the note.", "It is long."],
    ),
    (
        "The ^RUT closed at 2,669.16 on Jan. 23. The ^GSPC closed at 6,915.61.",
        ["The ^RUT closed at 2,669.16 on Jan. 23.", "The ^GSPC closed at 6,915.61."],
    ),
    (
        "A one-sentence text without a final stop",
        ["A one-sentence text without a final stop"],
    ),
    # ---- Chinese
    (
        "罗素2000指数上涨7.53%。道指上涨3.19%。",
        ["罗素2000指数上涨7.53%。", "道指上涨3.19%。"],
    ),
    (
        "摩根大通（J.P. Morgan）预计美联储2026年按兵不动。小盘股承压。",
        ["摩根大通（J.P. Morgan）预计美联储2026年按兵不动。", "小盘股承压。"],
    ),
    (
        "J.P. Morgan全球研究预计利率维持在3.50-3.75%[6]。这对小盘股不利。",
        ["J.P. Morgan全球研究预计利率维持在3.50-3.75%[6]。", "这对小盘股不利。"],
    ),
    (
        "美国（U.S.）经济增长2.3%。利率仍高。",
        ["美国（U.S.）经济增长2.3%。", "利率仍高。"],
    ),
    (
        "小盘股会继续上涨吗？没人知道！关注美联储。",
        ["小盘股会继续上涨吗？", "没人知道！", "关注美联储。"],
    ),
    (
        "季节性因素有利[2]；盈利才是关键[7]。估值仍低。",
        ["季节性因素有利[2]；", "盈利才是关键[7]。", "估值仍低。"],
    ),
    (
        "指数收于2,669.16点[1]。前一日收于2,718.77点[1]。",
        ["指数收于2,669.16点[1]。", "前一日收于2,718.77点[1]。"],
    ),
    (
        "他说：“小盘股还会涨。”随后指数回落。",
        ["他说：“小盘股还会涨。”", "随后指数回落。"],
    ),
    (
        "Jefferies策略师Steven DeSanctis给出2,825点的目标[4]。该目标比当时收盘价高约11.8%[1]。",
        [
            "Jefferies策略师Steven DeSanctis给出2,825点的目标[4]。",
            "该目标比当时收盘价高约11.8%[1]。",
        ],
    ),
    (
        "日波动率为0.96%，年化约15.2%。波动偏高。",
        ["日波动率为0.96%，年化约15.2%。", "波动偏高。"],
    ),
    (
        "Lazard Asset Management Ltd.的Oren Shiran提出“AI引力”。他看好小盘股。",
        ["Lazard Asset Management Ltd.的Oren Shiran提出“AI引力”。", "他看好小盘股。"],
    ),
    (
        "罗素2000 vs. 标普500：小盘股领先5.78个百分点。差距很大。",
        ["罗素2000 vs. 标普500：小盘股领先5.78个百分点。", "差距很大。"],
    ),
    (
        "周期板块（e.g. 能源、材料）领涨。防御板块落后。",
        ["周期板块（e.g. 能源、材料）领涨。", "防御板块落后。"],
    ),
    (
        "美联储会降息吗？市场预期约50个基点[7]。",
        ["美联储会降息吗？", "市场预期约50个基点[7]。"],
    ),
    (
        "小盘股上涨……随后回落。",
        ["小盘股上涨……随后回落。"],
    ),
    (
        "第一行没有句号\n第二行有句号。第三句。",
        ["第一行没有句号", "第二行有句号。", "第三句。"],
    ),
    (
        "1月效应是季节性的[2]。 [5]AI引力是资金流向的论点。",
        ["1月效应是季节性的[2]。 [5]", "AI引力是资金流向的论点。"],
    ),
    (
        "Dr. Feroli认为不会降息。市场不同意。",
        ["Dr. Feroli认为不会降息。", "市场不同意。"],
    ),
    (
        "数据来自St. Louis Fed。可免费获取。",
        ["数据来自St. Louis Fed。", "可免费获取。"],
    ),
    (
        "小盘股在1月排名No. 1。大盘股垫底。",
        ["小盘股在1月排名No. 1。", "大盘股垫底。"],
    ),
    (
        "Apple Inc.公布创纪录的销售额。股价上涨2.1%。",
        ["Apple Inc.公布创纪录的销售额。", "股价上涨2.1%。"],
    ),
    (
        "Nvidia Corp.股价下跌1.5%。芯片股走弱。",
        ["Nvidia Corp.股价下跌1.5%。", "芯片股走弱。"],
    ),
    (
        "报告称“小盘股将跑赢大盘股”。作者是DeSanctis。",
        ["报告称“小盘股将跑赢大盘股”。", "作者是DeSanctis。"],
    ),
    (
        "标普500指数收于6,915.61点；纳指收于23,501.24点。",
        ["标普500指数收于6,915.61点；", "纳指收于23,501.24点。"],
    ),
    (
        "罗素2000指数从2,482.23点涨到2,669.16点，涨幅7.53%",
        ["罗素2000指数从2,482.23点涨到2,669.16点，涨幅7.53%"],
    ),
    (
        "这波行情能持续吗?目前还不清楚。",
        ["这波行情能持续吗?", "目前还不清楚。"],
    ),
    (
        "Michael Feroli是J.P. Morgan的首席美国经济学家。他预计2027年加息。",
        ["Michael Feroli是J.P. Morgan的首席美国经济学家。", "他预计2027年加息。"],
    ),
]
