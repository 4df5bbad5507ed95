/**
 * The city's own legal-aid groups (configurable data: replace it when the adopted text differs). 法律援助法
 * Art 42(4) lets a 规章 add people whose economic hardship is not verified: they still must be in hardship,
 * the applicant declares it and shows that they belong to the group, and the legal-aid body waives the
 * check. That is not Art 32, under which no hardship condition applies at all.
 */
export const LOCAL_LEGAL_AID_EXEMPTIONS = {
  source: {
    instrument: '揭阳市公共法律服务促进办法（征求意见稿）',
    article: '第二十三条第四款',
    /** The draft's words: "本市对以下法律援助申请免予经济状况核查". */
    wording: '除法律、法规规定的情形外，本市对以下法律援助申请免予经济状况核查',
    legalBasis: '法律援助法第四十二条第四项',
    treatment: 'verification_exempt',
    /** The adopted 办法 (jieyang.gov.cn post_994115) was not compared with the draft (docs/README.md#open-questions). */
    status: 'draft',
  },
  groups: {
    local_minor_guardian_harm: { label: '监护人侵害未成年人权益案件中的未成年人当事人', item: '第一项' },
    local_student_injury: { label: '学生伤害事故及其他侵害未成年人合法权益案件中的未成年人当事人', item: '第一项' },
    local_vagrant_beggar: { label: '流浪、乞讨人员', item: '第二项' },
    local_aged_75: { label: '七十五周岁以上老年人', item: '第二项' },
    local_death_or_serious_injury: { label: '因人身损害导致死亡或者重伤而追索赔偿的', item: '第三项' },
  },
} as const;
export type LocalLegalAidGroup = keyof typeof LOCAL_LEGAL_AID_EXEMPTIONS.groups;
