/**
 * 纠纷类型 in plain words: one sentence each on what kind of quarrel the type covers, so a person who does not
 * know the legal names can still choose. The names themselves are the domain's (DISPUTE_TYPE_LABELS); the list
 * starts with the everyday quarrels and ends with 其他民事纠纷 for anything else.
 */
import type { DisputeType } from './draft';

export const DISPUTE_TYPE_CHOICES: { type: DisputeType; explanation: string }[] = [
  { type: 'neighbour', explanation: '邻居之间因噪音、漏水、通行道路、采光、排水、宅基地边界等产生的矛盾。' },
  {
    type: 'family_property',
    explanation: '家里人之间因分家、赡养老人、抚养费、离婚后分财产、继承遗产等产生的财产矛盾。',
  },
  { type: 'loan_debt', explanation: '借钱不还、欠款不给等个人之间或与单位之间的借款、欠款问题。' },
  { type: 'labour', explanation: '与老板或单位之间因拖欠工资、没签劳动合同、工伤、辞退补偿等产生的矛盾。' },
  { type: 'road_traffic', explanation: '交通事故造成受伤或车辆、财物损失后，商量赔偿的问题。' },
  { type: 'property_management', explanation: '与物业公司之间因物业费、维修、停车、小区管理等产生的矛盾。' },
  { type: 'consumer', explanation: '在商店、饭店、美容店等买东西或接受服务时，遇到质量问题、不退不换、虚假宣传等。' },
  { type: 'e_commerce', explanation: '网上购物、网店、直播带货中的退货退款、货不对板等问题。' },
  { type: 'express_logistics', explanation: '快递或货物丢失、损坏、送晚了、送错了之后的赔偿问题。' },
  { type: 'medical', explanation: '看病、治疗过程中受到损害，与医院或医生之间的赔偿问题。' },
  { type: 'real_estate', explanation: '买房、卖房、租房中的定金、交房、过户、房屋质量、房租押金等问题。' },
  { type: 'construction', explanation: '建房、装修、工程施工中的质量、工期、工程款等问题。' },
  { type: 'finance', explanation: '与银行、保险公司等之间的贷款、信用卡、保险理赔、理财等问题。' },
  { type: 'intellectual_property', explanation: '商标、专利、文章、图片、视频等被别人擅自使用的问题。' },
  { type: 'international_trade', explanation: '与境外的企业或个人之间的进出口、跨境买卖问题。' },
  {
    type: 'general_civil',
    explanation: '以上都不是的其他民事矛盾，如合同、损害赔偿、财物归属等；不确定时选这一项，工作人员会帮您归类。',
  },
];
