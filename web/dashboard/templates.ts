// The survey builder's templates (builder.ts): five complete survey definitions, kept as data,
// each with its texts in English, Spanish, Russian, Simplified Chinese and Arabic. npsd's core
// validates them like any definition (tests/web/dashboard_builder.test.mjs saves each one).
// The questions say "us" rather than "{product}", so they read right in every language
// without a product name in each grammatical case.
import type { TextKey } from './i18n';

export type Template = { key: 'relational' | 'purchase' | 'support' | 'b2b' | 'event'; id: string; title: TextKey; about: TextKey; definition: Record<string, unknown> };

export const LANGUAGES = ['en', 'es', 'ru', 'zh-Hans', 'ar'];
// One text in the five languages, in that order.
const L = (en: string, es: string, ru: string, zh: string, ar: string) => ({ en, es, ru, 'zh-Hans': zh, ar });

const low = L('Not at all likely', 'Nada probable', 'Совсем маловероятно', '完全不可能', 'غير محتمل إطلاقًا');
const high = L('Extremely likely', 'Muy probable', 'Очень вероятно', '极有可能', 'محتمل جدًا');
const yes = L('Yes', 'Sí', 'Да', '是', 'نعم');
const no = L('No', 'No', 'Нет', '否', 'لا');
const common = { default_locale: 'en', locales: LANGUAGES, low_label: low, high_label: high };

export const templates: Template[] = [
  {
    key: 'relational', id: 'nps-relational', title: 'tpl_relational', about: 'tpl_relational_about',
    definition: {
      ...common, kind: 'relational',
      question: L('How likely are you to recommend us to a friend or colleague?',
        '¿Qué probabilidad hay de que nos recomiende a un amigo o colega?',
        'Насколько вероятно, что вы порекомендуете нас другу или коллеге?',
        '您有多大可能向朋友或同事推荐我们？',
        'ما مدى احتمال أن توصي بنا لصديق أو زميل؟'),
      followup: {
        detractor: {
          text: L('We are sorry to hear that. What disappointed you most?', 'Lamentamos oír eso. ¿Qué fue lo que más le decepcionó?',
            'Жаль это слышать. Что разочаровало вас больше всего?', '很遗憾听到这些。最让您失望的是什么？', 'يؤسفنا سماع ذلك. ما أكثر ما خيّب أملك؟'),
          thanks: L('Thank you for telling us. We read every answer.', 'Gracias por contárnoslo. Leemos todas las respuestas.',
            'Спасибо, что рассказали. Мы читаем каждый ответ.', '感谢您告诉我们。每一条回答我们都会认真阅读。', 'شكرًا لإخبارنا. نقرأ كل إجابة.'),
        },
        passive: {
          text: L('What would make us a 10 for you?', '¿Qué haría falta para que nos diera un 10?',
            'Что нам сделать, чтобы вы поставили 10?', '我们怎样做才能让您打 10 分？', 'ما الذي يجعلك تمنحنا 10؟'),
          thanks: L('Thank you for your feedback.', 'Gracias por su opinión.', 'Спасибо за ваш отзыв.', '感谢您的反馈。', 'شكرًا على ملاحظاتك.'),
        },
        promoter: {
          text: L('Great to hear! What do you like most about us?', '¡Qué bien! ¿Qué es lo que más le gusta de nosotros?',
            'Рады это слышать! Что вам нравится в нас больше всего?', '太好了！您最喜欢我们哪一点？', 'يسعدنا ذلك! ما أكثر ما يعجبك فينا؟'),
          thanks: L('Thank you! It means a lot to us.', '¡Gracias! Significa mucho para nosotros.',
            'Спасибо! Это очень важно для нас.', '谢谢！这对我们意义重大。', 'شكرًا لك! هذا يعني لنا الكثير.'),
        },
      },
      targeting: { trigger: { type: 'page_views', count: 3 } },
      sampling: { percent: 20, resurvey_after_answer_days: 90, resurvey_after_dismiss_days: 30 },
    },
  },
  {
    key: 'purchase', id: 'nps-purchase', title: 'tpl_purchase', about: 'tpl_purchase_about',
    definition: {
      ...common, kind: 'transactional',
      question: L('Based on your recent purchase, how likely are you to recommend us to a friend or colleague?',
        'Según su compra reciente, ¿qué probabilidad hay de que nos recomiende a un amigo o colega?',
        'Учитывая вашу недавнюю покупку, насколько вероятно, что вы порекомендуете нас другу или коллеге?',
        '根据您最近的购物体验，您有多大可能向朋友或同事推荐我们？',
        'بناءً على عملية الشراء الأخيرة، ما مدى احتمال أن توصي بنا لصديق أو زميل؟'),
      followup: {
        detractor: {
          text: L('What went wrong with your order?', '¿Qué salió mal con su pedido?', 'Что пошло не так с вашим заказом?',
            '您的订单出了什么问题？', 'ما الذي لم يسر على ما يرام في طلبك؟'),
          questions: [{
            id: 'stage', type: 'single',
            text: L('Which part of the purchase was it?', '¿En qué parte de la compra estuvo el problema?', 'На каком этапе покупки возникла проблема?',
              '问题出在购物的哪个环节？', 'في أي مرحلة من الشراء كانت المشكلة؟'),
            options: [
              { id: 'checkout', label: L('Checkout and payment', 'Pago y finalización de la compra', 'Оформление и оплата', '结账和付款', 'إتمام الطلب والدفع') },
              { id: 'delivery', label: L('Delivery', 'Entrega', 'Доставка', '配送', 'التوصيل') },
              { id: 'product', label: L('The product itself', 'El producto en sí', 'Сам товар', '商品本身', 'المنتج نفسه') },
              { id: 'other', label: L('Something else', 'Otra cosa', 'Другое', '其他', 'شيء آخر') },
            ],
          }],
          thanks: L('Thank you. We will look into what went wrong.', 'Gracias. Revisaremos qué salió mal.',
            'Спасибо. Мы разберёмся, что пошло не так.', '谢谢。我们会查明问题所在。', 'شكرًا لك. سنبحث في ما حدث.'),
        },
        passive: {
          text: L('What could we have done better?', '¿Qué podríamos haber hecho mejor?', 'Что мы могли бы сделать лучше?',
            '我们还有哪些地方可以做得更好？', 'ما الذي كان بإمكاننا فعله بشكل أفضل؟'),
          thanks: L('Thank you! Your feedback helps us improve every order.', '¡Gracias! Su opinión nos ayuda a mejorar cada pedido.',
            'Спасибо! Ваш отзыв помогает нам улучшать каждый заказ.', '谢谢！您的反馈帮助我们改进每一笔订单。', 'شكرًا لك! ملاحظاتك تساعدنا على تحسين كل طلب.'),
        },
        promoter: {
          text: L('Glad you liked it! What did you like most about your purchase?', '¡Nos alegra que le haya gustado! ¿Qué es lo que más le gustó de su compra?',
            'Рады, что вам понравилось! Что больше всего понравилось в покупке?', '很高兴您喜欢！这次购物中您最满意的是什么？',
            'يسعدنا أنها أعجبتك! ما أكثر ما أعجبك في عملية الشراء؟'),
          thanks: L('Thank you! Enjoy your purchase.', '¡Gracias! Disfrute de su compra.', 'Спасибо! Приятного пользования покупкой.',
            '谢谢！祝您购物愉快。', 'شكرًا لك! استمتع بمشترياتك.'),
        },
      },
      targeting: { trigger: { type: 'event', event: 'purchase_completed', count: 1 } },
      sampling: { percent: 100, resurvey_after_answer_days: 30, resurvey_after_dismiss_days: 14 },
    },
  },
  {
    key: 'support', id: 'nps-support', title: 'tpl_support', about: 'tpl_support_about',
    definition: {
      ...common, kind: 'transactional',
      question: L('Thinking of your recent contact with our support team, how likely are you to recommend us to a friend or colleague?',
        'Pensando en su reciente contacto con nuestro equipo de soporte, ¿qué probabilidad hay de que nos recomiende a un amigo o colega?',
        'Вспоминая недавнее обращение в нашу службу поддержки, насколько вероятно, что вы порекомендуете нас другу или коллеге?',
        '回想您最近与我们支持团队的沟通，您有多大可能向朋友或同事推荐我们？',
        'بالتفكير في تواصلك الأخير مع فريق الدعم لدينا، ما مدى احتمال أن توصي بنا لصديق أو زميل؟'),
      followup: {
        detractor: {
          text: L('What could our support team have done better?', '¿Qué podría haber hecho mejor nuestro equipo de soporte?',
            'Что наша служба поддержки могла сделать лучше?', '我们的支持团队哪些地方可以做得更好？', 'ما الذي كان بإمكان فريق الدعم لدينا فعله بشكل أفضل؟'),
          questions: [{
            id: 'resolved', type: 'single', required: true,
            text: L('Was your issue resolved?', '¿Se resolvió su problema?', 'Ваш вопрос решён?', '您的问题解决了吗？', 'هل حُلّت مشكلتك؟'),
            options: [
              { id: 'yes', label: yes },
              { id: 'partly', label: L('Partly', 'En parte', 'Частично', '部分解决', 'جزئيًا') },
              { id: 'no', label: no },
            ],
          }],
          thanks: L('Thank you. A team lead reads every answer like yours.', 'Gracias. Un responsable del equipo lee cada respuesta como la suya.',
            'Спасибо. Руководитель команды читает каждый такой ответ.', '谢谢。团队负责人会阅读每一条像您这样的回答。', 'شكرًا لك. يقرأ قائد الفريق كل إجابة مثل إجابتك.'),
        },
        passive: {
          text: L('What would have made your support experience excellent?', '¿Qué habría hecho que su experiencia con el soporte fuera excelente?',
            'Что сделало бы ваше обращение в поддержку отличным?', '怎样才能让您的支持体验变得出色？', 'ما الذي كان سيجعل تجربتك مع الدعم ممتازة؟'),
          thanks: L('Thank you. We share every answer with the support team.', 'Gracias. Compartimos cada respuesta con el equipo de soporte.',
            'Спасибо. Мы передаём каждый ответ команде поддержки.', '谢谢。我们会与支持团队分享每一条回答。', 'شكرًا لك. نشارك كل إجابة مع فريق الدعم.'),
        },
        promoter: {
          text: L('Thank you! What did our team do well?', '¡Gracias! ¿Qué hizo bien nuestro equipo?', 'Спасибо! Что наша команда сделала хорошо?',
            '谢谢！我们的团队哪些方面做得好？', 'شكرًا لك! ما الذي أحسن فريقنا فعله؟'),
          thanks: L('Thank you. We will pass your words on to the team.', 'Gracias. Transmitiremos sus palabras al equipo.',
            'Спасибо. Мы передадим ваши слова команде.', '谢谢。我们会把您的话转达给团队。', 'شكرًا لك. سننقل كلماتك إلى الفريق.'),
        },
      },
      targeting: { trigger: { type: 'event', event: 'ticket_closed', count: 1 } },
      sampling: { percent: 100, resurvey_after_answer_days: 14, resurvey_after_dismiss_days: 7 },
    },
  },
  {
    key: 'b2b', id: 'nps-b2b-quarterly', title: 'tpl_b2b', about: 'tpl_b2b_about',
    definition: {
      ...common, kind: 'relational',
      question: L('How likely are you to recommend our company to a colleague or business partner?',
        '¿Qué probabilidad hay de que recomiende nuestra empresa a un colega o socio comercial?',
        'Насколько вероятно, что вы порекомендуете нашу компанию коллеге или деловому партнёру?',
        '您有多大可能向同事或业务伙伴推荐我们公司？',
        'ما مدى احتمال أن توصي بشركتنا لزميل أو شريك عمل؟'),
      followup: {
        detractor: {
          text: L('What is the main thing we should improve for your team?', '¿Qué es lo principal que deberíamos mejorar para su equipo?',
            'Что нам в первую очередь стоит улучшить для вашей команды?', '为了您的团队，我们最应该改进的是什么？', 'ما أهم شيء ينبغي أن نحسّنه لفريقك؟'),
          questions: [
            {
              id: 'fit', type: 'rating', min: 1, max: 5,
              text: L("How well does our product fit your team's way of working?", '¿En qué medida se adapta nuestro producto a la forma de trabajar de su equipo?',
                'Насколько наш продукт подходит к тому, как работает ваша команда?', '我们的产品与您团队的工作方式契合度如何？', 'إلى أي مدى يناسب منتجنا طريقة عمل فريقك؟'),
              low_label: L('Poorly', 'Mal', 'Плохо', '很差', 'بشكل سيئ'),
              high_label: L('Very well', 'Muy bien', 'Отлично', '非常好', 'بشكل ممتاز'),
            },
            {
              id: 'call', type: 'single',
              text: L('May we call you to talk it over?', '¿Podemos llamarle para hablarlo?', 'Можно позвонить вам, чтобы это обсудить?',
                '我们可以致电与您详谈吗？', 'هل يمكننا الاتصال بك لمناقشة ذلك؟'),
              options: [{ id: 'yes', label: yes }, { id: 'no', label: no }],
              condition: { question: 'score', op: 'less', value: 5 },
            },
          ],
          thanks: L('Thank you. Your account manager will be in touch.', 'Gracias. Su gestor de cuenta se pondrá en contacto con usted.',
            'Спасибо. Ваш менеджер свяжется с вами.', '谢谢。您的客户经理会与您联系。', 'شكرًا لك. سيتواصل معك مدير حسابك.'),
        },
        passive: {
          text: L('What would make us indispensable to your team?', '¿Qué nos haría imprescindibles para su equipo?',
            'Что сделало бы нас незаменимыми для вашей команды?', '怎样才能让我们成为您团队不可或缺的伙伴？', 'ما الذي يجعلنا لا غنى عنا لفريقك؟'),
          thanks: L('Thank you. We review every answer each quarter.', 'Gracias. Revisamos todas las respuestas cada trimestre.',
            'Спасибо. Мы разбираем все ответы каждый квартал.', '谢谢。我们每个季度都会审阅所有回答。', 'شكرًا لك. نراجع كل الإجابات في كل ربع سنة.'),
        },
        promoter: {
          text: L('What value do we bring to your team?', '¿Qué valor aportamos a su equipo?', 'Какую пользу мы приносим вашей команде?',
            '我们为您的团队带来了哪些价值？', 'ما القيمة التي نضيفها لفريقك؟'),
          thanks: L('Thank you for your trust.', 'Gracias por su confianza.', 'Спасибо за ваше доверие.', '感谢您的信任。', 'شكرًا على ثقتك.'),
        },
      },
      targeting: { devices: ['desktop'], trigger: { type: 'page_load', delay_seconds: 10 } },
      sampling: { percent: 100, resurvey_after_answer_days: 90, resurvey_after_dismiss_days: 30 },
    },
  },
  {
    key: 'event', id: 'nps-in-app', title: 'tpl_event', about: 'tpl_event_about',
    definition: {
      ...common, kind: 'transactional',
      question: L('How likely are you to recommend our app to a friend or colleague?',
        '¿Qué probabilidad hay de que recomiende nuestra aplicación a un amigo o colega?',
        'Насколько вероятно, что вы порекомендуете наше приложение другу или коллеге?',
        '您有多大可能向朋友或同事推荐我们的应用？',
        'ما مدى احتمال أن توصي بتطبيقنا لصديق أو زميل؟'),
      followup: {
        detractor: {
          text: L('What is the one thing we should fix in the app?', '¿Qué es lo primero que deberíamos arreglar en la aplicación?',
            'Что в приложении нам стоит исправить в первую очередь?', '您认为应用中最需要修复的是什么？', 'ما أول شيء ينبغي أن نصلحه في التطبيق؟'),
          thanks: L('Thank you. Back to what you were doing.', 'Gracias. Ya puede seguir con lo que estaba haciendo.',
            'Спасибо. Можно вернуться к работе.', '谢谢。您可以继续之前的操作了。', 'شكرًا لك. يمكنك العودة إلى ما كنت تفعله.'),
        },
        passive: {
          text: L('What is missing in the app for you?', '¿Qué le falta a la aplicación para usted?', 'Чего вам не хватает в приложении?',
            '您觉得应用还缺少什么？', 'ما الذي ينقص التطبيق بالنسبة لك؟'),
          thanks: L('Thank you. Back to what you were doing.', 'Gracias. Ya puede seguir con lo que estaba haciendo.',
            'Спасибо. Можно вернуться к работе.', '谢谢。您可以继续之前的操作了。', 'شكرًا لك. يمكنك العودة إلى ما كنت تفعله.'),
        },
        promoter: {
          text: L('What do you use the app for most?', '¿Para qué usa más la aplicación?', 'Для чего вы чаще всего используете приложение?',
            '您最常用这个应用做什么？', 'فيمَ تستخدم التطبيق أكثر؟'),
          thanks: L('Thank you! Happy to have you with us.', '¡Gracias! Nos alegra tenerle con nosotros.', 'Спасибо! Мы рады, что вы с нами.',
            '谢谢！很高兴有您的陪伴。', 'شكرًا لك! يسعدنا وجودك معنا.'),
        },
      },
      targeting: { devices: ['mobile', 'tablet'], trigger: { type: 'event', event: 'task_completed', count: 3 } },
      sampling: { percent: 50, resurvey_after_answer_days: 60, resurvey_after_dismiss_days: 30 },
    },
  },
];

// A template's definition as a new object the builder may change freely.
export const fromTemplate = (tp: Template): Record<string, any> => JSON.parse(JSON.stringify(tp.definition));
